//! State a handle keeps for the process that uses it (a buffer of received bytes, items of a
//! batch already taken off a channel): a forked child inherits a copy of it, which is the
//! parent's, not the child's. Tagged with the pid that filled it, it starts afresh in any
//! other process, however that process was forked.

use std::cell::{RefCell, RefMut};

use crate::os::current_pid;

#[derive(Debug, Default)]
pub(crate) struct PerProcess<T: Default> {
    /// The pid the value belongs to, and the value.
    cell: RefCell<(i32, T)>,
}

impl<T: Default> PerProcess<T> {
    /// This process's value: the default in a process other than the one that last used it.
    pub(crate) fn borrow_mut(&self) -> RefMut<'_, T> {
        let me = current_pid();
        let mut cell = self.cell.borrow_mut();
        if cell.0 != me {
            *cell = (me, T::default());
        }
        RefMut::map(cell, |(_, value)| value)
    }
}
