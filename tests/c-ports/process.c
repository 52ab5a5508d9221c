/* The notes' multiprocessing.Process program: start a child, join it (fork + waitpid). */
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

static void run_proc(const char *name) {
    printf("Run child process %s (%d)...\n", name, getpid());
    fflush(stdout);
}

int main(void) {
    printf("Parent process %d.\n", getpid());
    printf("Process will start.\n");
    fflush(stdout);
    pid_t pid = fork();
    if (pid < 0) {
        perror("fork");
        return 1;
    }
    if (pid == 0) {
        run_proc("test");
        _exit(0);
    }
    if (waitpid(pid, NULL, 0) < 0) {
        perror("waitpid");
        return 1;
    }
    printf("Process end.\n");
    fflush(stdout);
    return 0;
}
