//! Correct ports in C (`tests/c-ports/`: fork and waitpid, POSIX threads, two pipes) pass their
//! examples' specs: the trace judges processes, threads and pipes whatever language made them.
//! 3 runs each at time scale 0.01 here; `default_options.rs --ignored` grades them with the
//! default options too.

use workspace_tests::{C_PORTS, assert_passes, c_port};

#[test]
fn every_c_port_passes_its_example() {
    for name in C_PORTS {
        assert_passes(name, &[], 3, 0.01, &[c_port(name).into_os_string()]);
    }
}
