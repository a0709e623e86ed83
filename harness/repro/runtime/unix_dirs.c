// Private AF_UNIX directories (as Sandbox::enter makes its unix_dir), only
// in reproducers whose addresses name one (EmitNeeds::unix_dir).
// Everything above the first `// @embed:` line is for compilers and editors
// only (the file compiles on its own: ctest repro.runtime_c.*); the sections
// below are embedded byte for byte by embed_c.cmake and assembled by
// emit_c.cc into one self-contained reproducer.
#include "sandbox.c"
// @embed: includes
#include <dirent.h>
// @embed: text

/* Private AF_UNIX directories: made like the harness's (mkdtemp of
   /tmp/conncheck.XXXXXX, in the private tmpfs) and removed, with their
   sockets, at exit. */
#define MAX_UNIX_DIRS 8
static char *unix_dirs[MAX_UNIX_DIRS];
static int unix_dir_count;
static inline void remove_unix_dirs(void) {
  for (int i = 0; i < unix_dir_count; ++i) {
    DIR *d = opendir(unix_dirs[i]);
    if (d) {
      struct dirent *e;
      while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
        unlinkat(dirfd(d), e->d_name, 0);
      }
      closedir(d);
    }
    rmdir(unix_dirs[i]);
  }
}
static inline void make_unix_dir(char *tmpl) {
  if (mkdtemp(tmpl) == NULL) env_die(tmpl, errno);
  if (unix_dir_count == 0) atexit(remove_unix_dirs);
  if (unix_dir_count < MAX_UNIX_DIRS) unix_dirs[unix_dir_count++] = tmpl;
}
