# grade class: the table on stdout and the class's index page.
class-head-submission = submission
class-head-build = build
class-head-verdict = verdict
class-head-checks = checks
class-head-detail = first failed check / why not graded
class-word-ok = ok
class-word-failed = failed
class-word-pass = pass
class-word-fail = fail
class-word-not-graded = not-graded
class-summary = { $submissions ->
    [one] { $submissions } submission
   *[other] { $submissions } submissions
}: { $pass } pass, { $fail } fail, { $not_graded } not graded; { $seconds } s with { $jobs ->
    [one] { $jobs } job
   *[other] { $jobs } jobs
}
class-word-cargo = cargo
class-word-rs = rs
class-word-py = py
class-word-unknown = unknown
# The class's index page.
class-html-at-scale = { " " }at time scale { $scale }
class-html-intro = { $submissions ->
    [one] { $submissions } submission
   *[other] { $submissions } submissions
}, { $runs ->
    [one] { $runs } run
   *[other] { $runs } runs
} each{ $scale }, graded in { $seconds } s with { $jobs ->
    [one] { $jobs } job
   *[other] { $jobs } jobs
}. Click a column to sort.
class-html-form = form
class-html-checks-passed = checks passed
class-html-reports = reports
class-html-seconds = seconds
class-html-link-html = html
class-html-link-text = text
class-html-link-json = json
class-html-link-build-log = build log
# grade class: progress on stderr.
class-progress-not-graded = not graded: { $why } ({ $seconds } s)
class-progress-built = built in { $seconds } s
class-progress-checks = { $passed }/{ $total } checks passed,{ " " }
class-progress-seconds = { $seconds } s
class-progress-still = still running: { $summary }
class-progress-summary = { $pass } pass, { $fail } fail, { $not_graded } not graded | building { $building }, grading { $grading }
class-progress-building = building
class-progress-grading = grading
class-progress-slowest = { " " }| slowest: { $name } ({ $what } { $seconds } s)
# Why a submission was not graded (the table's and index's last column, the build log).
class-why-no-toolchain = no Rust toolchain
class-why-no-file-name = the submission has no file name
class-why-cannot-copy = cannot copy the submission: { $error }
class-why-cannot-copy-project = cannot copy the project: { $error }
class-why-no-program = no Cargo.toml, no .rs and no .py file in the folder
class-why-many-programs = no Cargo.toml, and { $count } .rs/.py files: which one is the program?
class-why-not-submission = not a submission
class-why-no-binary = the project has no binary target
class-why-many-binaries = the project has { $count } binaries ({ $names }) and none is named like the package
class-why-too-large = the project is larger than { $mib } MiB without target/
class-why-cannot-run = cannot run { $program }: { $error }
class-why-timeout = { $program } did not finish within the build timeout ({ $seconds } s): killed
class-why-status = { $program } failed with exit status { $code }
class-why-signal = { $program } was killed by signal { $signal }
class-why-failed = { $program } failed
class-why-no-worker = no worker took it
class-why-panic = the grader panicked: { $text }
class-panic-unknown = a panic
class-refused-git = refused: { $at }: git = { $url } (only crates.io and paths inside the submission; --allow-git lets git over https:// through)
class-refused-path = refused: { $at }: path = { $path } is outside the submission
class-refused-registry = refused: { $at }: { $key } = { $value } (only crates.io)
class-refused-source = refused: { $at } package { $name }: source = { $source } (only crates.io)
class-refused-source-git = refused: { $at } package { $name }: source = { $source } (only crates.io; --allow-git lets git over https:// through)
# The build log's own lines.
class-log-left-running = { $count } process(es) the step left running were killed
class-log-python = { $file }: a Python file, nothing to build: it runs with python3
class-log-build-ok = build ok: runs { $command }
class-log-build-failed = build failed: { $why }
class-log-copied = { $entry }: copied to { $file }, which is all its build and runs may read of the class
class-log-cargo = { $source }: a Cargo project, built from a copy in { $copy } as its own workspace
class-log-fetch-online = not all dependencies are in the teacher's registry cache: fetching from crates.io
class-log-encloses = warning: { $outer } encloses the copy: cargo may take it for the workspace
class-log-left-out = left out of the copy: { $path } ({ $why })
class-log-cargo-home = private CARGO_HOME { $home }: { $mib } MiB of the teacher's registry cache copied
class-log-toolchain-named = toolchain: { $name } ({ $sysroot }), the one grade runs with; a toolchain file in the submission is not used
class-log-toolchain = toolchain: { $sysroot }, the one grade runs with; a toolchain file in the submission is not used
# What grade class says on stderr of the class folder and at the end.
class-skipped-results = { $entry }: skipped (the results folder)
class-skipped-dangling = { $entry }: skipped (a dangling link)
class-skipped-other = { $entry }: skipped (not a folder, a .rs or a .py file)
class-grader-failed = the grader failed on { $names } (see their rows); the other results are in { $out }
# A submission's Gradescope body.
class-gs-first-failing = the first failing run (run { $run }) printed:
class-gs-more-lines = ... ({ $count } more lines)
class-gs-nothing = { " " }nothing on stdout
class-gs-not-graded = not graded: { $why }
class-gs-not-graded-head = Not graded: { $why }
# Why a class could not be graded (grade class exits with status 2).
error-cause = { $what }: { $cause }
class-io-write = cannot write { $path }
class-io-read = cannot read { $path }
class-io-make = cannot make { $path }
class-io-empty = cannot empty { $path }
class-io-readable = cannot make readable { $path }
class-io-scratch = cannot make a scratch folder in { $path }
class-io-seed = cannot seed the private CARGO_HOME { $path }
class-folder-open = cannot open the class folder { $path }
class-err-fence-build = cannot fence the build
class-err-options = bad grading options
class-err-param = bad --param
class-err-jobs = --jobs must be at least 1
class-err-no-submissions = no submissions in { $dir }
class-err-supervise = cannot supervise runs
class-err-workers = cannot start workers
class-err-no-example = no example given: --example EXAMPLE or --spec FILE (see grade --list)
class-err-needed-by = { $tool } (needed by { $users })
class-err-not-installed = not installed: { $tools }
class-err-rustc-sysroot = cannot run rustc --print sysroot
class-err-no-sysroot = rustc --print sysroot printed no toolchain folder
class-err-toolchain-folder = the toolchain folder { $path }
class-err-no-rustc = no rustc in { $path }
class-log-build-fence = build fence: { $status }
# grade gradescope: the autograder bundle.
bundle-no-git = cannot run git
bundle-git-failed = git ls-files failed in { $dir }: { $error }
bundle-not-sources = { $dir } does not hold this repository's sources
bundle-no-sources = cannot find the sources this grader was built from: give --source DIR
bundle-no-example = no example given (see grade --list)
bundle-wrote = wrote { $file } (setup.sh, run_autograder, { $files } source files)
class-io-give = cannot give to nobody { $path }
class-why-dropped = the toolchain and cargo's configuration are the grader's
class-why-hard-link = a hard link to a file of another owner: it may be the teacher's or a classmate's
class-why-not-regular = not a regular file
class-why-file-too-large = larger than { $mib } MiB
class-why-too-many-files = the project has more than { $max } files and folders
class-skipped-special = { $entry }: skipped (not a regular file: a fifo, socket or device)
class-log-toolchain-as-root = { $toolchain }; it cannot be bound into a fence for nobody, so the fetch and the build run as uid 0 without capabilities
# The fetch's relay to crates.io (class/relay.rs), in the build log.
relay-note = relay: { $why }
relay-too-many = relay: refused a connection past { $max } at once
relay-no-thread = relay: no thread for a connection: { $error }
relay-cannot-start = relay: cannot start: { $error }
relay-reading = reading a request: { $error }
relay-no-end = a request without an end
relay-not-connect = refused { $request }: only CONNECT is relayed
relay-refused = refused CONNECT { $target }: { $why }
relay-no-port = no port
relay-only-443 = only port 443 (https)
relay-not-crates-io = not a crates.io host (--allow-git lets git over https through)
relay-cannot-resolve = cannot resolve: { $error }
relay-own-address = resolves to the host's own or no address ({ $addresses })
