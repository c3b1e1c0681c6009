/*
 * ids.c — phone normalisation and invite codes (see ids.h).
 */
#include "ids.h"

#include <stdbool.h>
#include <string.h>

#include "jf_assert.h"

int jf_phone_normalize(const char *in, char *out, size_t n, const char *field,
                       struct jf_err *err)
{
    JF_ASSERT(n >= 12);
    char buf[32];
    size_t len = 0;
    if (in == NULL || strlen(in) > 24) {
        goto bad;
    }
    for (const char *p = in; *p; p++) {
        if (*p != ' ') {
            buf[len++] = *p;
        }
    }
    buf[len] = '\0';
    const char *d = buf;
    if (strncmp(d, "+86", 3) == 0) {
        d += 3;
    }
    if (strlen(d) != 11 || d[0] != '1' || d[1] < '3' || d[1] > '9') {
        goto bad;
    }
    for (int i = 0; i < 11; i++) {
        if (d[i] < '0' || d[i] > '9') {
            goto bad;
        }
    }
    memcpy(out, d, 12);
    return JF_OK;
bad:
    return jf_err_set(err, JF_E_INVALID, field,
                      "'%.24s' is not a mainland mobile number (1[3-9] and 9 more digits)",
                      in ? in : "");
}

void jf_invite_code(int64_t id, char *out, size_t n)
{
    JF_ASSERT(n >= 9 && id > 0 && id < ((int64_t)1 << 40));
    static const char alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    const uint64_t mask = ((uint64_t)1 << 40) - 1;
    /* an odd multiplier is invertible mod 2^40, and the xor-shift is invertible: a bijection */
    uint64_t x = ((uint64_t)id * 0x9E3779B97Full) & mask;
    x ^= x >> 20;
    x = (x * 0xD6E8FEB86659FDull) & mask;
    for (int i = 7; i >= 0; i--) {
        out[i] = alphabet[x & 31];
        x >>= 5;
    }
    out[8] = '\0';
}
