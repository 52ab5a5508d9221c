//! SIGINT to a demo's main process leaves none of its processes behind: children die with
//! their parent (Python's multiprocessing leaves them running).

use workspace_tests::interrupt;

#[test]
fn sigint_to_any_demo_leaves_no_process_behind() {
    for (demo, args, after) in [
        ("fork-demo", &[][..], "Process ("),
        ("process-demo", &[][..], "Parent process"),
        ("pool-demo", &[][..], "Run task"),
        ("pool-demo", &["5"][..], "Run task"),
        ("queue-demo", &[][..], "Put A"),
        ("thread-demo", &[][..], "thread LoopThread >>> 1"),
        ("pipe-demo", &[][..], "Parent sent"),
    ] {
        let left = interrupt(demo, args, after);
        assert!(left.is_empty(), "{demo} {args:?} left {left:?} behind");
    }
}
