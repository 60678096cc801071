/*
 * password.h - the password policy and Argon2id hashing (libsodium).
 */
#ifndef DUBAN_CORE_PASSWORD_H
#define DUBAN_CORE_PASSWORD_H

#include <stdbool.h>
#include <stddef.h>

#include "base/result.h"

#define PASSWORD_MIN_LEN 8
#define PASSWORD_MAX_LEN 256
#define PASSWORD_HASH_MAX 128

/**
 * Checks the policy: at least 8 characters (UTF-8 code points), at most 256
 * bytes, and at least three of the four classes lower case, upper case,
 * digit, other.  DUBAN_E_INVALID with field "password" otherwise.
 */
duban_result password_check_policy(const char *pw, size_t len,
				   struct duban_error *err);

/** Must be called once before hashing (initialises libsodium). */
duban_result password_init(void);

/** Argon2id hash in libsodium's encoded form into out (PASSWORD_HASH_MAX). */
duban_result password_hash(const char *pw, size_t len,
			   char out[PASSWORD_HASH_MAX], struct duban_error *err);

/** True when pw matches the encoded hash. */
bool password_verify(const char *hash, const char *pw, size_t len);

/** Fills buf (n bytes + NUL) with a random password that meets the policy. */
void password_generate(char *buf, size_t n);

#endif
