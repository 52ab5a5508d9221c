/* The pipe example: a parent pings, a child pongs, three rounds, over two pipes. */
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define ROUNDS 3

static void say(const char *what, const char *message) {
    printf("%s: %s\n", what, message);
    fflush(stdout);
}

/* One message per line. */
static int receive(FILE *from, char *buf, int size) {
    if (!fgets(buf, size, from)) return 0;
    buf[strcspn(buf, "\n")] = 0;
    return 1;
}

static void send(int to, const char *message) {
    dprintf(to, "%s\n", message);
}

int main(void) {
    int down[2], up[2];
    if (pipe(down) || pipe(up)) {
        perror("pipe");
        return 1;
    }
    pid_t pid = fork();
    if (pid < 0) {
        perror("fork");
        return 1;
    }
    if (pid == 0) {
        close(down[1]); /* the parent's ends: EOF comes only once the parent closes its own */
        close(up[0]);
        FILE *in = fdopen(down[0], "r");
        char message[64];
        while (receive(in, message, sizeof message)) {
            say("Child got", message);
            char answer[64];
            snprintf(answer, sizeof answer, "pong%s", message + 4);
            say("Child sent", answer);
            send(up[1], answer);
        }
        printf("Child: pipe closed, exit.\n");
        fflush(stdout);
        _exit(0);
    }
    close(down[0]);
    close(up[1]);
    FILE *in = fdopen(up[0], "r");
    for (int n = 1; n <= ROUNDS; n++) {
        char message[64], answer[64];
        snprintf(message, sizeof message, "ping %d", n);
        say("Parent sent", message);
        send(down[1], message);
        if (!receive(in, answer, sizeof answer)) return 1;
        say("Parent got", answer);
    }
    close(down[1]);
    waitpid(pid, NULL, 0);
    printf("Parent: child exited.\n");
    fflush(stdout);
    return 0;
}
