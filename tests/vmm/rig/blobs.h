/*
 * For the rig programs' *_blobs.S: BLOB(name, file) puts a file's bytes
 * in the program between the symbols name_start and name_end.
 */
#define STR_(x) #x
#define STR(x) STR_(x)
#define BLOB(name, file)			\
	.balign 16;				\
	.global name##_start, name##_end;	\
name##_start:					\
	.incbin file;				\
name##_end:
