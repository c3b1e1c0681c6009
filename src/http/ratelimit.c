/*
 * ratelimit.c — fixed-window rate limits (see ratelimit.h).
 */
#include "ratelimit.h"

#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "jf_assert.h"

struct slot {
    char key[64];
    int64_t window;
    int count;
};

struct jf_ratelimit {
    pthread_mutex_t mu;
    int max;
    int64_t window_s;
    unsigned char seed[crypto_shorthash_KEYBYTES]; /* random: where a key lands is not known */
    struct slot slots[JF_RATE_SLOTS];
};

struct jf_ratelimit *jf_ratelimit_new(int max, int64_t window_s)
{
    JF_ASSERT(max > 0 && window_s > 0);
    struct jf_ratelimit *rl = jf_xcalloc(1, sizeof *rl);
    pthread_mutex_init(&rl->mu, NULL);
    rl->max = max;
    rl->window_s = window_s;
    randombytes_buf(rl->seed, sizeof rl->seed);
    return rl;
}

void jf_ratelimit_free(struct jf_ratelimit *rl)
{
    if (rl != NULL) {
        pthread_mutex_destroy(&rl->mu);
        free(rl);
    }
}

/* A keyed hash (SipHash), so that nobody can choose keys that land on another's slot and push
 * its count out of the table. */
static uint64_t hash(const struct jf_ratelimit *rl, const char *s)
{
    unsigned char h[crypto_shorthash_BYTES];
    crypto_shorthash(h, (const unsigned char *)s, strlen(s), rl->seed);
    uint64_t v;
    memcpy(&v, h, sizeof v);
    return v;
}

bool jf_ratelimit_hit(struct jf_ratelimit *rl, const char *key, int64_t now)
{
    int64_t window = now / rl->window_s;
    size_t at = hash(rl, key) % JF_RATE_SLOTS;
    pthread_mutex_lock(&rl->mu);
    /* up to 8 probes; past that, the slot with the oldest window is taken over */
    size_t victim = at;
    struct slot *s = NULL;
    for (size_t i = 0; i < 8; i++) {
        struct slot *c = &rl->slots[(at + i) % JF_RATE_SLOTS];
        if (strncmp(c->key, key, sizeof c->key) == 0) {
            s = c;
            break;
        }
        if (c->key[0] == '\0' || c->window < window) {
            victim = (at + i) % JF_RATE_SLOTS;
            if (c->key[0] == '\0') {
                break;
            }
        }
    }
    if (s == NULL) {
        s = &rl->slots[victim];
        strncpy(s->key, key, sizeof s->key - 1);
        s->key[sizeof s->key - 1] = '\0';
        s->window = window;
        s->count = 0;
    }
    if (s->window != window) {
        s->window = window;
        s->count = 0;
    }
    s->count++;
    bool ok = s->count <= rl->max;
    pthread_mutex_unlock(&rl->mu);
    return ok;
}
