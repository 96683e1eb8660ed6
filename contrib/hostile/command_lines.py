"""customerd's own command line and socket activation, attacked from the shell (redteam26): every
numeric option at odd values, socket paths that cannot be bound, and LISTEN_FDS / LISTEN_PID
naming what is no listening Unix stream socket. Each must end in its exit code and a message
naming what was wrong, never a trap (a signal) and never a server bound somewhere unexpected.

    python3 contrib/hostile/command_lines.py --customerd .build/debug/customerd

Prints one line per case and exits 1 when any case ended otherwise. Each case is a customerd that
refuses to start (about 0.1 s in a debug build), bounded at 60 s."""
import argparse, os, signal, socket, subprocess, sys, tempfile

parser = argparse.ArgumentParser()
parser.add_argument("--customerd", required=True)
args = parser.parse_args()
work = tempfile.mkdtemp(prefix="cc-command-lines-")
os.chmod(work, 0o700)
failures = []
cases = 0


def run(arguments, expected_code, expected_text, environment=None, pass_fds=(), shell_pid=False, what="",
        close_3=False):
    global cases
    cases += 1
    socket_path = os.path.join(work, f"d{cases}.sock")
    command = [args.customerd, "--database", os.path.join(work, "c.sqlite"), "--log-level", "notice"] + arguments
    if shell_pid:
        # LISTEN_PID must name customerd itself: the shell's pid, which exec keeps.
        # close_3: nothing open as descriptor 3 at all.
        command = ["/bin/sh", "-c", ("exec 3>&-; " if close_3 else "") + 'LISTEN_PID=$$ exec "$@"', "sh"] + command
    env = {"PATH": "/usr/bin:/bin", "HOME": work, "CUSTOMER_SOCKET": socket_path}
    env.update(environment or {})
    try:
        done = subprocess.run(command, env=env, pass_fds=pass_fds, capture_output=True, text=True, timeout=60)
        code, text = done.returncode, done.stderr + done.stdout
    except subprocess.TimeoutExpired as timeout:
        code, text = "still running after 60 s", str(timeout.stderr)
    bound = os.path.exists(socket_path)
    good = code == expected_code and expected_text in text and not bound
    label = " ".join(arguments) or " ".join(f"{k}={v}" for k, v in (environment or {}).items()) + what
    print(("held  " if good else "FAILED"), f"{label[:70]!r}: exit {code}",
          "" if good else f"(expected {expected_code} and {expected_text!r}; socket bound: {bound}) {text.strip()[-300:]!r}")
    if not good:
        failures.append(label)


numeric = {
    "--max-connections-per-user": "needs a whole number from 1 to 1000000",
    "--max-calls-per-user": "needs a whole number from 1 to 1000000",
    "--max-input-per-user": "needs a whole number from 1 to 1048576",
    "--max-queued-per-user": "needs a whole number from 1 to 1048576",
    "--max-streams-per-user": "needs a whole number from 1 to 1000000",
    "--max-unary-threads-per-user": "needs a whole number from 1 to 1000000",
    "--max-import-size": "needs a whole number from 1 to 1048576",
    "--max-stream-ids-per-user": "needs a whole number from 1 to 1048576",
    "--feed-retention-days": "needs a whole number from 1 to 36500",
    "--feed-retention-count": "needs a whole number from 1 to 1000000000000",
    "--import-free-space-reserve": "needs a whole number from 0 to 1048576",
    "--slow-call-threshold": "needs a number of milliseconds from 0 to 86400000",
    "--registry-timeout": "needs a number of seconds above 0 and at most 600",
}
odd = ["-1", str(2**31), str(2**63), str(2**64), "1e3", " 5", "5 ", "0x10", "", "٣", "nan", "inf", "1e400"]
for option, message in numeric.items():
    for value in odd + ([] if "reserve" in option or "slow" in option else ["0"]):
        if value == "1e3" and option == "--slow-call-threshold":
            continue  # a number of milliseconds: 1e3 is one, in range
        if value == str(2**31) and option == "--feed-retention-count":
            continue  # in its range
        run([f"{option}={value}"], 64, message)
for mode in ["0", "0777", "1600", "-600", "0o600", "99999", ""]:
    run(["--socket-mode", mode], 64, "--socket-mode")
run(["--socket-group", "no-such-group-rt26"], 64, "no group 'no-such-group-rt26'")

long_path = work + "/" + "s" * (108 - len(work))
run(["--socket", long_path], 1, "")

# Socket activation: descriptor 3 as each thing that is not a listening Unix stream socket.
def with_descriptor_3(thing, expected_text, environment=None, what=""):
    descriptor = thing.fileno() if hasattr(thing, "fileno") else thing
    saved = os.dup(3) if _is_open(3) else None
    os.dup2(descriptor, 3, inheritable=True)
    try:
        run([], 1, expected_text, environment=environment or {"LISTEN_FDS": "1"}, pass_fds=(3,), shell_pid=True,
            what=what)
    finally:
        if saved is None:
            os.close(3)
        else:
            os.dup2(saved, 3)
            os.close(saved)


def _is_open(descriptor):
    try:
        os.fstat(descriptor)
        return True
    except OSError:
        return False


regular = open(os.path.join(work, "regular"), "w")
with_descriptor_3(regular, "is a regular file, not a socket", what=", descriptor 3 a regular file")
tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
tcp.bind(("127.0.0.1", 0)); tcp.listen()
with_descriptor_3(tcp, "is an IP socket, not a Unix domain socket", what=", descriptor 3 a listening TCP socket")
udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
with_descriptor_3(udp, "is an IP socket", what=", descriptor 3 a UDP socket")
datagram = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
with_descriptor_3(datagram, "is a Unix datagram socket, not a stream socket", what=", descriptor 3 a Unix datagram socket")
unlistened = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
unlistened.bind(os.path.join(work, "unlistened.sock"))
with_descriptor_3(unlistened, "that is not listening", what=", descriptor 3 a Unix stream socket not listening")
pipe_read, pipe_write = os.pipe()
with_descriptor_3(pipe_read, "is a pipe, not a socket", what=", descriptor 3 a pipe")
run([], 1, "the inherited file descriptor 3 is not open", environment={"LISTEN_FDS": "1"}, shell_pid=True,
    what=", descriptor 3 closed", close_3=True)
listening = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
listening.bind(os.path.join(work, "listening.sock")); listening.listen()
for count, text in [("2", "passed 2 sockets"), ("-1", "LISTEN_FDS is '-1'"), ("abc", "LISTEN_FDS is 'abc'"),
                    (" 1", "LISTEN_FDS is ' 1'"), ("", "LISTEN_FDS is ''"),
                    (str(2**64), f"LISTEN_FDS is '{2**64}'"), ("1" * 40, "not a number of file descriptors")]:
    with_descriptor_3(listening, text, environment={"LISTEN_FDS": count}, what=", descriptor 3 a listening Unix socket")

for thing in (regular, tcp, udp, datagram, unlistened, listening):
    thing.close()
os.close(pipe_read); os.close(pipe_write)
subprocess.run(["rm", "-rf", work])
print(f"{len(failures)} of {cases} failed" if failures else f"every case held ({cases})")
sys.exit(1 if failures else 0)
