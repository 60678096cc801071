/*
 * roles.h - the roles of API.md as bits, and the unit-subtree test.
 */
#ifndef DUBAN_CORE_ROLES_H
#define DUBAN_CORE_ROLES_H

#include <stdbool.h>
#include <stdint.h>

enum role {
	ROLE_SYSADMIN = 1u << 0,  /* 系统管理员: units, settings */
	ROLE_SECADMIN = 1u << 1,  /* 安全管理员: accounts, roles */
	ROLE_AUDITOR = 1u << 2,   /* 安全审计员: reads the audit trail */
	ROLE_OFFICE = 1u << 3,    /* 协调小组办公室 */
	ROLE_LEADER = 1u << 4,    /* 领导 */
	ROLE_LIAISON = 1u << 5,   /* 联络员 */
	ROLE_INSPECTOR = 1u << 6, /* 督查组 */
};

#define ROLE_ANY 0u /* any authenticated user */
#define ROLE_COUNT 7

/** The role bit for a name, or 0 when unknown. */
uint32_t role_parse(const char *name);

/** The name of the i-th role (0 <= i < ROLE_COUNT). */
const char *role_name(int i);

/**
 * True when the unit at unit_path lies in the subtree rooted at scope_path
 * (itself included).  Paths are materialised id paths like "/1/4/9/".
 */
bool scope_path_contains(const char *scope_path, const char *unit_path);

#endif
