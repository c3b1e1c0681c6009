/*
 * fuzz_check.h — what the fuzz targets share: a property check that stops the run.
 *
 * FUZZ_CHECK(cond, fmt, ...) aborts with the condition, file:line and a message when `cond`
 * is false; libFuzzer records the input that did it as a crash, which `make fuzz` reports as
 * a finding. A target asserts properties of what the code answers, not only that it answers.
 */
#ifndef JF_FUZZ_CHECK_H
#define JF_FUZZ_CHECK_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FUZZ_CHECK(cond, ...)                                                                      \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "fuzz check failed: %s (%s:%d): ", #cond, __FILE__, __LINE__);        \
            fprintf(stderr, __VA_ARGS__);                                                          \
            fputc('\n', stderr);                                                                   \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

/* The input as a NUL-terminated string (malloc'ed, the caller frees it); NULL when it holds a
 * NUL byte, which no text input does. */
static inline char *fuzz_text(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    FUZZ_CHECK(text != NULL, "out of memory");
    memcpy(text, data, size);
    text[size] = '\0';
    if (strlen(text) != size) {
        free(text);
        return NULL;
    }
    return text;
}

#endif
