/*
 * faulty_vfs.h — the fault-injecting SQLite VFS of the tests (faulty_vfs.c): linking that file
 * makes it SQLite's default VFS before main runs. What a fault is, and its text, is described
 * there.
 */
#ifndef JF_FAULTY_VFS_H
#define JF_FAULTY_VFS_H

/* Replaces every armed fault by those of `text` ("" disarms). Thread-safe. */
void jf_faulty_arm(const char *text);

#endif
