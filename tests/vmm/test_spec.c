// SPDX-License-Identifier: GPL-2.0
/* Spec files: parsing, defaults, errors, console checks, skips. */
#include <stdlib.h>
#include <string.h>

#include "../../vmm/spec.h"
#include "vmm_test.h"

static const char good[] =
	"# defaults\n"
	"timeout = 7\n"
	"options = --mem 64\n"
	"\n"
	"[hello]\n"
	"kernel = ${SPECDIR}/hello\n"
	"params = quiet\n"
	"options = --sve-vl 512 --name 'a b'\n"
	"expect = ^Hello\n"
	"expect = RESULT: .* PASS\n"
	"reject = FAIL\n"
	"exit = 0\n"
	"\n"
	"[psci]\n"
	"file = /g/psci\n"
	"smp = 2\n"
	"exit = 3\n"
	"timeout = 20s\n"
	"accel = vkvm\n"
	"skip-kvm = Linux 6.1 lacks it\n";

START_TEST(parse_good)
{
	struct spec_list l = { 0 };
	char err[256];

	ck_assert_int_eq(spec_parse(&l, "/x/y/a.spec", good, err, sizeof(err)), 0);
	ck_assert_uint_eq(l.n, 2);
	ck_assert_str_eq(l.v[0].name, "hello");
	ck_assert_str_eq(l.v[0].kernel, "/x/y/hello");
	ck_assert_str_eq(l.v[0].params, "quiet");
	ck_assert_uint_eq(l.v[0].timeout_s, 7);
	ck_assert_uint_eq(l.v[0].nr_options, 6);	/* defaults first */
	ck_assert_str_eq(l.v[0].options[0], "--mem");
	ck_assert_str_eq(l.v[0].options[5], "a b");
	ck_assert_uint_eq(l.v[0].nr_expect, 2);
	ck_assert_uint_eq(l.v[0].nr_reject, 1);
	ck_assert_int_eq(l.v[0].line, 5);
	ck_assert_str_eq(l.v[1].kernel, "/g/psci");
	ck_assert_uint_eq(l.v[1].timeout_s, 20);
	ck_assert_int_eq(l.v[1].exit_status, 3);
	ck_assert_str_eq(l.v[1].options[2], "--cpus");
	ck_assert_ptr_null(spec_skip_reason(&l.v[0], "kvm"));
	ck_assert_ptr_null(spec_skip_reason(&l.v[1], "vkvm"));
	ck_assert_str_eq(spec_skip_reason(&l.v[1], "kvm"), "Linux 6.1 lacks it");
	spec_list_free(&l);
}
END_TEST

static void parse_bad(const char *text, const char *want)
{
	struct spec_list l = { 0 };
	char err[256];

	ck_assert_int_eq(spec_parse(&l, "t.spec", text, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, want), "error '%s' lacks '%s'", err, want);
	spec_list_free(&l);
}

START_TEST(parse_bad_specs)
{
	parse_bad("[a]\nkernel = k\ncolour = red\n", "t.spec:3: unknown key 'colour'");
	parse_bad("[a]\nexit = 300\nkernel=k\n", "t.spec:2:");
	parse_bad("[a]\nkernel = k\nexpect = (\n", "bad regex");
	parse_bad("[a]\nkernel = k\nexpect = (x)\\1\n", "back-reference");
	parse_bad("[a]\nkernel = k\nreject = (x{400}){400}\n", "more than 100000");
	parse_bad("[a]\nkernel = k\nkernel = j\n", "t.spec:3: kernel given twice");
	parse_bad("[a]\nparams = x\n", "[a] has no kernel");
	parse_bad("[a\nkernel = k\n", "bad section header");
	parse_bad("kernel = k\n", "no [test] section");
	parse_bad("[a]\nkernel = k\njunk\n", "t.spec:3: expected");
	parse_bad("[a]\nkernel = k\ntimeout = 0\n", "timeout");
	parse_bad("[a]\nkernel = k\noptions = 'unclosed\n", "quote");
}
END_TEST

START_TEST(check_output)
{
	struct spec_list l = { 0 };
	char err[256], why[256];

	ck_assert_int_eq(spec_parse(&l, "t.spec", good, err, sizeof(err)), 0);
	ck_assert_int_eq(spec_check_output(&l.v[0], "Hello\r\nRESULT: x PASS\n", why,
					   sizeof(why)), 0);
	/* in order: RESULT before Hello does not count */
	ck_assert_int_eq(spec_check_output(&l.v[0], "RESULT: x PASS\nHello\n", why,
					   sizeof(why)), -1);
	ck_assert_ptr_nonnull(strstr(why, "never showed /RESULT"));
	ck_assert_int_eq(spec_check_output(&l.v[0], "Hello\nFAIL: 1\nRESULT: x PASS", why,
					   sizeof(why)), -1);
	ck_assert_ptr_nonnull(strstr(why, "rejected /FAIL/"));
	ck_assert_int_eq(spec_check_output(&l.v[0], "", why, sizeof(why)), -1);
	spec_list_free(&l);
}
END_TEST

Suite *spec_suite(void)
{
	return CHECK_SUITE("spec", 0, parse_good, parse_bad_specs, check_output);
}
