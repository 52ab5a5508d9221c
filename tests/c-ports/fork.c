/* The notes' os.fork() program: the parent and its child each print one line. */
#include <stdio.h>
#include <unistd.h>

int main(void) {
    printf("Process (%d) start...\n", getpid());
    fflush(stdout); /* before fork: the buffer is copied into the child */
    pid_t pid = fork();
    if (pid < 0) {
        perror("fork");
        return 1;
    }
    if (pid == 0) {
        printf("I am child process (%d) and my parent is %d.\n", getpid(), getppid());
    } else {
        printf("I (%d) just created a child process (%d).\n", getpid(), pid);
    }
    fflush(stdout);
    return 0;
}
