#include "core/audit_hash.h"

#include <openssl/evp.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

const char audit_genesis_hash[AUDIT_HASH_HEX] =
	"0000000000000000000000000000000000000000000000000000000000000000";

/*
 * The digests, fetched from OpenSSL's provider once (EVP_sha256() and
 * EVP_sm3() look the algorithm up again on every use), and one digest
 * context per thread, initialised again for each hash: a new context each
 * time cost more than hashing a session token.  Shared, never freed; a
 * thread's context goes with the thread.
 */
static EVP_MD *sha256_md, *sm3_md;
static pthread_key_t ctx_key;
static bool ctx_key_ok;
static pthread_once_t md_once = PTHREAD_ONCE_INIT;

static void ctx_free(void *ctx)
{
	EVP_MD_CTX_free(ctx);
}

static void md_fetch(void)
{
	sha256_md = EVP_MD_fetch(NULL, "SHA256", NULL);
	sm3_md = EVP_MD_fetch(NULL, "SM3", NULL);
	ctx_key_ok = pthread_key_create(&ctx_key, ctx_free) == 0;
}

/* this thread's context, ready for md; NULL when OpenSSL fails */
static EVP_MD_CTX *digest_begin(const EVP_MD *md)
{
	EVP_MD_CTX *ctx = ctx_key_ok ? pthread_getspecific(ctx_key) : NULL;
	if (!ctx) {
		ctx = EVP_MD_CTX_new();
		if (ctx && ctx_key_ok && pthread_setspecific(ctx_key, ctx)) {
			EVP_MD_CTX_free(ctx);
			return NULL;
		}
	}
	return ctx && EVP_DigestInit_ex(ctx, md, NULL) == 1 ? ctx : NULL;
}

/* ends what digest_begin() started; frees a context no thread keeps */
static bool digest_end(EVP_MD_CTX *ctx, unsigned char *md, unsigned *n)
{
	bool ok = EVP_DigestFinal_ex(ctx, md, n) == 1;
	if (!ctx_key_ok)
		EVP_MD_CTX_free(ctx);
	return ok;
}

static const EVP_MD *md_sha256(void)
{
	pthread_once(&md_once, md_fetch);
	return sha256_md ? sha256_md : EVP_sha256();
}

static const EVP_MD *md_sm3(void)
{
	pthread_once(&md_once, md_fetch);
	return sm3_md ? sm3_md : EVP_sm3();
}

static void hex(const unsigned char *md, unsigned n, char *out)
{
	static const char digits[] = "0123456789abcdef";
	for (unsigned i = 0; i < n; i++) {
		out[2 * i] = digits[md[i] >> 4];
		out[2 * i + 1] = digits[md[i] & 15];
	}
	out[2 * n] = '\0';
}

static void put_str(EVP_MD_CTX *ctx, const char *s)
{
	char len[32];
	if (!s) {
		EVP_DigestUpdate(ctx, "-;", 2);
		return;
	}
	size_t n = strlen(s);
	int k = snprintf(len, sizeof(len), "%zu:", n);
	EVP_DigestUpdate(ctx, len, (size_t)k);
	EVP_DigestUpdate(ctx, s, n);
	EVP_DigestUpdate(ctx, ";", 1);
}

static void put_int(EVP_MD_CTX *ctx, int64_t v)
{
	char buf[32];
	snprintf(buf, sizeof(buf), "%lld", (long long)v);
	put_str(ctx, buf);
}

duban_result audit_hash(const char *prev_hash, const struct audit_record *r,
			char out[AUDIT_HASH_HEX])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned n = 0;
	EVP_MD_CTX *ctx = digest_begin(md_sm3());
	if (!ctx)
		return DUBAN_E_INTERNAL;
	put_str(ctx, prev_hash);
	put_int(ctx, r->id);
	put_int(ctx, r->at);
	put_int(ctx, r->actor_id);
	put_str(ctx, r->actor);
	put_str(ctx, r->client_addr);
	put_str(ctx, r->entity);
	put_int(ctx, r->entity_id);
	put_int(ctx, r->unit_id);
	put_str(ctx, r->action);
	put_str(ctx, r->before_json);
	put_str(ctx, r->after_json);
	if (!digest_end(ctx, md, &n) || n != 32)
		return DUBAN_E_INTERNAL;
	hex(md, n, out);
	return DUBAN_OK;
}

void sha256_hex(const void *data, size_t len, char out[AUDIT_HASH_HEX])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned n = 0;
	EVP_MD_CTX *ctx = digest_begin(md_sha256());
	if (ctx)
		EVP_DigestUpdate(ctx, data, len);
	if (!ctx || !digest_end(ctx, md, &n) || n != 32) {
		/* OpenSSL out of order: no hash can match this one */
		memset(out, 'x', AUDIT_HASH_HEX - 1);
		out[AUDIT_HASH_HEX - 1] = '\0';
		return;
	}
	hex(md, n, out);
}
