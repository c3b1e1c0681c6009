/*
 * ids.h — phone numbers and invite codes.
 */
#ifndef JF_IDS_H
#define JF_IDS_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"

/* Normalises a mainland mobile number: spaces and a leading "+86" are dropped; what remains
 * must be 1[3-9] followed by 9 digits. out >= 12 bytes. */
int jf_phone_normalize(const char *in, char *out, size_t n, const char *field,
                       struct jf_err *err);

/* The invite code of member `id` (1 <= id < 2^40): 8 characters of Crockford base 32, a
 * bijection of the id so that codes are unique and do not reveal the registration order at a
 * glance. out >= 9 bytes. */
void jf_invite_code(int64_t id, char *out, size_t n);

#endif
