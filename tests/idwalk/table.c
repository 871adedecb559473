// SPDX-License-Identifier: GPL-2.0
/*
 * tests/idwalk's view of kernel/cpu's instruction table ("instructions as
 * data", kernel/cpu/a64.def): its rows in decode order with their class,
 * the row a word decodes to, and the feature each row's encodings belong
 * to.  The features follow the Arm ARM's encoding index, by the row's
 * instruction and, where one row covers several, by the word's size or
 * type field; they are the decoder's claims that idwalk.c checks against
 * the ID registers.
 */
#include <stdlib.h>
#include <string.h>

#include "idwalk.h"
#include "../../kernel/cpu/internal.h"

/* decode.c's row index, as tests/cpu/test_fuzz.c uses it */
extern uint32_t *decode_coverage;
unsigned int decode_nr_patterns(void);
bool decode_pattern(unsigned int i, uint32_t *mask, uint32_t *match, const char **name);

static const struct {
	const char *name;
	const struct insn_table *t;
} classes[] = {
#define A64_CLASS(c)	{ #c, &c##_insns },
#include "../../kernel/cpu/a64.def"
#undef A64_CLASS
};

#define NCLASSES	(sizeof(classes) / sizeof(classes[0]))

static uint32_t *counts;

unsigned int iw_nrows(void)
{
	return decode_nr_patterns();
}

const char *iw_row(unsigned int i, const char **cls, uint32_t *mask, uint32_t *match)
{
	const char *name = NULL;
	unsigned int first = 0;

	if (!decode_pattern(i, mask, match, &name))
		return NULL;
	*cls = "?";
	for (unsigned int c = 0; c < NCLASSES; c++) {
		if (i < first + classes[c].t->nr) {
			*cls = classes[c].name;
			break;
		}
		first += classes[c].t->nr;
	}
	return name;
}

int iw_row_of(uint32_t w)
{
	unsigned int n = decode_nr_patterns();
	struct dinsn d;
	int row = -1;

	if (!counts) {
		counts = calloc(n + 1, sizeof(*counts));
		if (!counts)
			return -2;
	}
	memset(counts, 0, (n + 1) * sizeof(*counts));
	decode_coverage = counts;
	decode_insn_ref(&d, w);
	decode_coverage = NULL;
	for (unsigned int i = 0; i < n; i++)
		if (counts[i])
			row = (int)i;
	return d.fn == exec_undef ? -1 : row;
}

static bool is(const char *name, const char *const *list)
{
	for (; *list; list++)
		if (!strcmp(name, *list))
			return true;
	return false;
}

static bool prefix(const char *name, const char *p)
{
	return !strncmp(name, p, strlen(p));
}

static bool suffix(const char *name, const char *s)
{
	size_t n = strlen(name), k = strlen(s);

	return n >= k && !strcmp(name + n - k, s);
}

/*
 * The feature of word w of row name in class cls: an F_ value, IW_BASE
 * (Armv8.0, always there), IW_HINT (hint space: executes as a NOP
 * whatever the ID registers say), IW_EL2 (an EL2 operation, UNDEFINED
 * where these words run, at EL1) or, for a class not listed here,
 * IW_UNKNOWN (a failure: a new class needs its features here).
 */
int iw_feature(const char *cls, const char *name, uint32_t w)
{
	static const char *const pauth_hints[] = {
		"XPACLRI", "PACIA1716", "PACIB1716", "AUTIA1716", "AUTIB1716", "PACIAZ",
		"PACIASP", "PACIBZ", "PACIBSP", "AUTIAZ", "AUTIASP", "AUTIBZ", "AUTIBSP", NULL,
	};
	static const char *const hints[] = {
		"NOP", "YIELD", "WFE", "WFI", "SEV", "SEVL", "DGH", "ESB", "PSB", "TSB",
		"CSDB", "BTI", "HINT", NULL,
	};
	static const char *const lrcpc2[] = { "STLUR", "LDAPUR", "LDAPURS", NULL };
	static const char *const lse_excl[] = {
		"STXR", "STLXR", "LDXR", "LDAXR", "STXP", "STLXP", "LDXP", "LDAXP", "STLR",
		"LDAR", "CLREX", NULL,
	};
	static const char *const fp_by_elem[] = {
		"FMLA_e", "FMLS_e", "FMUL_e", "FMULX_e", "FMLA_es", "FMLS_es", "FMUL_es",
		"FMULX_es", NULL,
	};
	static const char *const fixed[] = {
		"SCVTF_vfix", "UCVTF_vfix", "FCVTZS_vfix", "FCVTZU_vfix", "SCVTF_sfix",
		"UCVTF_sfix", "FCVTZS_sfix", "FCVTZU_sfix", NULL,
	};

	if (!strcmp(cls, "sve") || !strcmp(cls, "svefp") || !strcmp(cls, "svemem"))
		return F_SVE;
	if (!strcmp(cls, "mte"))
		return F_MTE;	/* MTE2's too: absent either way until MTE is advertised */
	if (!strcmp(cls, "pauth"))
		return is(name, pauth_hints) ? IW_HINT : !strcmp(name, "PACGA") ? F_PACGA : F_PAUTH;
	if (!strcmp(cls, "dp"))
		return prefix(name, "CRC32") ? F_CRC32 : IW_BASE;
	if (!strcmp(cls, "atomic")) {
		if (!strcmp(name, "LDAPR"))
			return F_LRCPC;
		if (is(name, lrcpc2))
			return F_LRCPC2;
		return is(name, lse_excl) ? IW_BASE : F_LSE;
	}
	if (!strcmp(cls, "sys")) {
		if (is(name, hints))
			return IW_HINT;
		if (!strcmp(name, "SB"))
			return F_SB;
		if (!strcmp(name, "CFINV") || !strcmp(name, "RMIF") || prefix(name, "SETF"))
			return F_FLAGM;
		if (!strcmp(name, "XAFLAG") || !strcmp(name, "AXFLAG"))
			return F_FLAGM2;
		if (!strcmp(name, "MSR_i_UAO"))
			return F_UAO;
		if (!strcmp(name, "MSR_i_PAN"))
			return F_PAN;
		if (!strcmp(name, "MSR_i_SSBS"))
			return F_SSBS;
		if (!strcmp(name, "MSR_i_DIT"))
			return F_DIT;
		return IW_BASE;
	}
	/* AT and TLBI with op1 4 are EL2's: UNDEFINED at EL1 (no FEAT_NV),
	 * whatever ID_AA64PFR0_EL1.EL2 says */
	if (!strcmp(cls, "maint") && ((w >> 16) & 7) == 4)
		return IW_EL2;
	if (!strcmp(cls, "maint"))
		return !strcmp(name, "DC_CVAP") ? F_DPB : !strcmp(name, "DC_CVADP") ? F_DPB2 : IW_BASE;
	if (!strcmp(cls, "mm")) {
		bool sve = suffix(name, "_z") || strstr(name, "_zz");

		if (prefix(name, "BF"))
			return sve ? F_SVE_BF16 : F_BF16;
		if (prefix(name, "SDOT") || prefix(name, "UDOT"))
			return F_DOTPROD;
		return sve ? F_SVE_I8MM : F_I8MM;
	}
	if (!strcmp(cls, "fp")) {
		if (!strcmp(name, "FJCVTZS"))
			return F_JSCVT;
		if (prefix(name, "FRINT32") || prefix(name, "FRINT64"))
			return F_FRINTTS;
		/* ftype 11: half precision, but FCVT to and from H is Armv8.0 */
		if (((w >> 22) & 3) == 3 && strcmp(name, "FCVT") && strcmp(name, "FMOV_gd1") &&
		    strcmp(name, "FMOV_d1g"))
			return F_FP16;
		return IW_BASE;
	}
	if (!strcmp(cls, "crypto")) {
		if (prefix(name, "AES"))
			return F_AES;
		if (prefix(name, "PMULL"))
			return F_PMULL;
		if (prefix(name, "SHA1"))
			return F_SHA1;
		if (prefix(name, "SHA256"))
			return F_SHA256;
		if (prefix(name, "SHA512"))
			return F_SHA512;
		if (prefix(name, "SM3"))
			return F_SM3;
		if (prefix(name, "SM4"))
			return F_SM4;
		return F_SHA3;		/* EOR3, BCAX, RAX1, XAR */
	}
	if (!strcmp(cls, "simd")) {
		if (suffix(name, "_vh") || suffix(name, "_sh") || !strcmp(name, "FMOV_vimm_h"))
			return F_ASIMDHP;
		if (prefix(name, "SQRDMLAH") || prefix(name, "SQRDMLSH"))
			return F_RDM;
		if (prefix(name, "FMLAL") || prefix(name, "FMLSL"))
			return F_FHM;
		if (prefix(name, "FCMLA") || prefix(name, "FCADD"))
			return F_FCMA;
		if (prefix(name, "FRINT32") || prefix(name, "FRINT64"))
			return F_FRINTTS;
		/* by element, size 00: H (FEAT_FP16) */
		if (is(name, fp_by_elem) && ((w >> 22) & 3) == 0)
			return F_ASIMDHP;
		/* fixed-point conversions, immh 001x: H */
		if (is(name, fixed) && ((w >> 20) & 7) == 1)
			return F_ASIMDHP;
		return IW_BASE;
	}
	if (!strcmp(cls, "branch") || !strcmp(cls, "ldst"))
		return IW_BASE;
	return IW_UNKNOWN;		/* a class this file does not know yet */
}
