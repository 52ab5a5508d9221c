//! A run's one way out: a TCP listener on the run's own loopback (`127.0.0.1:PORT` in its
//! network namespace), made by the child before the program starts and handed to the invoker
//! over a socket pair (`SCM_RIGHTS`). The invoker relays what it accepts there to whatever it
//! allows (a proxy for a dependency fetch); the run itself has no route, so nothing else of
//! the host's network, UDP included, is in its reach.

use std::io;
use std::net::TcpListener;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};

/// The child's part: where to listen, and the socket to hand the listener through.
#[derive(Debug)]
pub(crate) struct ChildRelay {
    pub addr: libc::sockaddr_in,
    pub to_parent: OwnedFd,
}

/// `127.0.0.1:port`.
pub(crate) fn loopback_addr(port: u16) -> libc::sockaddr_in {
    libc::sockaddr_in {
        sin_family: libc::AF_INET as libc::sa_family_t,
        sin_port: port.to_be(),
        sin_addr: libc::in_addr {
            s_addr: u32::from(std::net::Ipv4Addr::LOCALHOST).to_be(),
        },
        sin_zero: [0; 8],
    }
}

/// Room for one fd in a control message (`CMSG_SPACE(sizeof(int))` is 24 on 64-bit Linux;
/// 64 bytes leave room on any ABI).
#[repr(C, align(8))]
struct CmsgBuf([u8; 64]);

/// In the child (raw syscalls only): listens on the relay address and sends the listener to
/// the parent, then closes it here.
pub(crate) fn listen_and_send(relay: &ChildRelay) -> io::Result<()> {
    let last = || Err(io::Error::last_os_error());
    // SAFETY: socket with integer arguments.
    let fd = unsafe { libc::socket(libc::AF_INET, libc::SOCK_STREAM | libc::SOCK_CLOEXEC, 0) };
    if fd == -1 {
        return last();
    }
    let result = (|| {
        // SAFETY: a sockaddr_in of its size.
        let rc = unsafe {
            libc::bind(
                fd,
                (&relay.addr as *const libc::sockaddr_in).cast(),
                std::mem::size_of::<libc::sockaddr_in>() as libc::socklen_t,
            )
        };
        // SAFETY: listen on the socket just bound.
        if rc == -1 || unsafe { libc::listen(fd, 64) } == -1 {
            return last();
        }
        send_fd(relay.to_parent.as_raw_fd(), fd)
    })();
    // SAFETY: closes the socket made above (the parent holds its own copy).
    unsafe { libc::close(fd) };
    result
}

/// Sends `fd` over the Unix socket `sock` with one byte of data.
fn send_fd(sock: libc::c_int, fd: libc::c_int) -> io::Result<()> {
    let mut byte = [b'L'];
    let mut iov = libc::iovec {
        iov_base: byte.as_mut_ptr().cast(),
        iov_len: 1,
    };
    let mut buf = CmsgBuf([0; 64]);
    // SAFETY: an all-zero msghdr is valid; the fields are set below.
    let mut msg: libc::msghdr = unsafe { std::mem::zeroed() };
    msg.msg_iov = &mut iov;
    msg.msg_iovlen = 1;
    msg.msg_control = buf.0.as_mut_ptr().cast();
    // SAFETY: CMSG_SPACE is arithmetic.
    msg.msg_controllen =
        unsafe { libc::CMSG_SPACE(std::mem::size_of::<libc::c_int>() as u32) } as _;
    // SAFETY: the control buffer is large enough for one header and one int, and aligned.
    unsafe {
        let cmsg = libc::CMSG_FIRSTHDR(&msg);
        (*cmsg).cmsg_level = libc::SOL_SOCKET;
        (*cmsg).cmsg_type = libc::SCM_RIGHTS;
        (*cmsg).cmsg_len = libc::CMSG_LEN(std::mem::size_of::<libc::c_int>() as u32) as _;
        std::ptr::write_unaligned(libc::CMSG_DATA(cmsg).cast::<libc::c_int>(), fd);
    }
    // SAFETY: a complete msghdr over live buffers.
    if unsafe { libc::sendmsg(sock, &msg, libc::MSG_NOSIGNAL) } == -1 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

/// In the parent, once the child has started (or failed): the listener it sent, if any.
/// Does not wait.
pub(crate) fn receive_listener(sock: &OwnedFd) -> io::Result<Option<TcpListener>> {
    let mut byte = [0u8];
    let mut iov = libc::iovec {
        iov_base: byte.as_mut_ptr().cast(),
        iov_len: 1,
    };
    let mut buf = CmsgBuf([0; 64]);
    // SAFETY: an all-zero msghdr is valid; the fields are set below.
    let mut msg: libc::msghdr = unsafe { std::mem::zeroed() };
    msg.msg_iov = &mut iov;
    msg.msg_iovlen = 1;
    msg.msg_control = buf.0.as_mut_ptr().cast();
    msg.msg_controllen = buf.0.len() as _;
    // SAFETY: a complete msghdr over live buffers.
    let n = unsafe {
        libc::recvmsg(
            sock.as_raw_fd(),
            &mut msg,
            libc::MSG_DONTWAIT | libc::MSG_CMSG_CLOEXEC,
        )
    };
    if n == -1 {
        let e = io::Error::last_os_error();
        return if e.kind() == io::ErrorKind::WouldBlock {
            Ok(None)
        } else {
            Err(e)
        };
    }
    // SAFETY: the kernel filled the control buffer; CMSG_FIRSTHDR checks its length.
    unsafe {
        let cmsg = libc::CMSG_FIRSTHDR(&msg);
        if cmsg.is_null()
            || (*cmsg).cmsg_level != libc::SOL_SOCKET
            || (*cmsg).cmsg_type != libc::SCM_RIGHTS
        {
            return Ok(None);
        }
        let fd = std::ptr::read_unaligned(libc::CMSG_DATA(cmsg).cast::<libc::c_int>());
        Ok(Some(TcpListener::from(OwnedFd::from_raw_fd(fd))))
    }
}
