/* Unit tests: the password policy and Argon2id round trip. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/password.h"

static void test_policy_table(void **state)
{
	static const struct {
		const char *pw;
		bool ok;
	} cases[] = {
		{ "Abcdef1!", true },	  /* four classes */
		{ "abcdef12", false },	  /* two classes */
		{ "abcdefgh", false },	  /* one class */
		{ "Abc1!", false },	  /* too short */
		{ "abcdEFGH", false },	  /* two classes */
		{ "abcdEF12", true },	  /* three classes */
		{ "abcd12!!", true },	  /* lower, digit, other */
		{ "督办督办督办ab1", true }, /* 9 code points, 3 classes */
		{ "督办ab1", false },	  /* 5 code points */
		{ "", false },
	};
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct duban_error err = { 0 };
		duban_result r = password_check_policy(
			cases[i].pw, strlen(cases[i].pw), &err);
		assert_int_equal(r == DUBAN_OK, cases[i].ok);
		if (!cases[i].ok)
			assert_string_equal(err.field, "password");
	}
}

static void test_hash_roundtrip(void **state)
{
	char hash[PASSWORD_HASH_MAX];
	(void)state;
	assert_int_equal(password_init(), DUBAN_OK);
	assert_int_equal(password_hash("Secret#2026", 11, hash, NULL),
			 DUBAN_OK);
	assert_true(strncmp(hash, "$argon2id$", 10) == 0);
	assert_true(password_verify(hash, "Secret#2026", 11));
	assert_false(password_verify(hash, "Secret#2027", 11));
}

static void test_generated_meets_policy(void **state)
{
	char pw[17];
	(void)state;
	assert_int_equal(password_init(), DUBAN_OK);
	for (int i = 0; i < 50; i++) {
		password_generate(pw, 16);
		assert_int_equal(strlen(pw), 16);
		assert_int_equal(password_check_policy(pw, 16, NULL), DUBAN_OK);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_policy_table),
		cmocka_unit_test(test_hash_roundtrip),
		cmocka_unit_test(test_generated_meets_policy),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
