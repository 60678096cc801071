#include "core/password.h"

#include <sodium.h>
#include <string.h>

duban_result password_check_policy(const char *pw, size_t len,
				   struct duban_error *err)
{
	size_t chars = 0;
	int lower = 0, upper = 0, digit = 0, other = 0;
	if (len > PASSWORD_MAX_LEN)
		return duban_fail(err, DUBAN_E_INVALID, "password",
				  "password is longer than %d bytes",
				  PASSWORD_MAX_LEN);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)pw[i];
		if (c == 0)
			return duban_fail(err, DUBAN_E_INVALID, "password",
					  "password contains a NUL byte");
		if ((c & 0xC0) != 0x80)
			chars++; /* count code points, not continuation bytes */
		if (c >= 'a' && c <= 'z')
			lower = 1;
		else if (c >= 'A' && c <= 'Z')
			upper = 1;
		else if (c >= '0' && c <= '9')
			digit = 1;
		else
			other = 1;
	}
	if (chars < PASSWORD_MIN_LEN)
		return duban_fail(err, DUBAN_E_INVALID, "password",
				  "password must have at least %d characters",
				  PASSWORD_MIN_LEN);
	if (lower + upper + digit + other < 3)
		return duban_fail(err, DUBAN_E_INVALID, "password",
				  "password must mix three of: lower case, "
				  "upper case, digits, other characters");
	return DUBAN_OK;
}

duban_result password_init(void)
{
	return sodium_init() < 0 ? DUBAN_E_INTERNAL : DUBAN_OK;
}

duban_result password_hash(const char *pw, size_t len,
			   char out[PASSWORD_HASH_MAX], struct duban_error *err)
{
	_Static_assert(PASSWORD_HASH_MAX >= crypto_pwhash_STRBYTES,
		       "hash buffer too small");
	if (crypto_pwhash_str_alg(out, pw, len,
				  crypto_pwhash_OPSLIMIT_INTERACTIVE,
				  crypto_pwhash_MEMLIMIT_INTERACTIVE,
				  crypto_pwhash_ALG_ARGON2ID13) != 0)
		return duban_fail(err, DUBAN_E_INTERNAL, NULL,
				  "unable to hash password: out of memory");
	return DUBAN_OK;
}

bool password_verify(const char *hash, const char *pw, size_t len)
{
	return crypto_pwhash_str_verify(hash, pw, len) == 0;
}

void password_generate(char *buf, size_t n)
{
	/* no look-alikes; one of each class is forced at the front */
	static const char lower[] = "abcdefghijkmnpqrstuvwxyz";
	static const char upper[] = "ABCDEFGHJKLMNPQRSTUVWXYZ";
	static const char digit[] = "23456789";
	static const char all[] = "abcdefghijkmnpqrstuvwxyz"
				  "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
	for (size_t i = 0; i < n; i++) {
		const char *set = i == 0 ? lower : i == 1 ? upper
					  : i == 2    ? digit
						      : all;
		buf[i] = set[randombytes_uniform((uint32_t)strlen(set))];
	}
	buf[n] = '\0';
}
