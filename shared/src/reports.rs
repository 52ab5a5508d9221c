//! Where a child says why it failed (a panic's message, the target's error): a slot of shared
//! memory its parent set aside before the fork, read by the parent once the child has ended
//! with a nonzero status. A slot costs nothing at a start once its region is mapped, where a
//! pipe a child cost a `pipe2` and two `close`s at every start, though only a failing child
//! ever writes to it.
//!
//! The slots are the process's own: a forked child starts with none to hand out (it keeps the
//! mapping of the slot it writes to) and maps regions of its own for the children it starts.

use std::cell::UnsafeCell;
use std::sync::atomic::{AtomicU32, Ordering};

use crate::error::Result;
use crate::shm::{SharedSlice, ZeroedAtomics};

/// Bytes of message a slot holds; a longer one is cut there (at a character boundary).
const MESSAGE_BYTES: usize = (16 << 10) - 12;
/// Slots mapped at a time: a region of 1 MiB, whose pages are only made when written. 64: a
/// region's free slots are the bits of one `u64`.
const SLOTS_PER_REGION: usize = 64;

/// One child's slot: written by the child (its bytes, then `len`, then `written`), read by the
/// parent once `written` says so and the child has ended.
#[repr(C)]
pub(crate) struct Slot {
    written: AtomicU32,
    panicked: AtomicU32,
    len: AtomicU32,
    bytes: UnsafeCell<[u8; MESSAGE_BYTES]>,
}

// SAFETY: all zero is an unwritten slot; `bytes` is written only by the one child that owns the
// slot before it sets `written` (Release), and read by its parent only after it sees it set
// (Acquire) and the child has ended.
unsafe impl ZeroedAtomics for Slot {}

/// Which slot: its region and its place there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct SlotId {
    region: u32,
    index: u32,
}

/// Regions whose free slots are counted in the table itself: a start and a reap then write no
/// page of the heap, only the table's (each page the parent writes after a fork is copied
/// while the child lives, or at least faulted again).
const INLINE_REGIONS: usize = 4;

/// This process's slots: the regions it mapped and the slots free in them, one bit a slot
/// (`SLOTS_PER_REGION` is 64: a region's free slots are one `u64`).
pub(crate) struct Slots {
    regions: Vec<SharedSlice<Slot>>,
    /// The free slots of the first regions, then (`more_free`) of any after them.
    free: [u64; INLINE_REGIONS],
    more_free: Vec<u64>,
}

impl Slots {
    pub(crate) const fn new() -> Self {
        Slots {
            regions: Vec::new(),
            free: [0; INLINE_REGIONS],
            more_free: Vec::new(),
        }
    }

    /// The free slots of `region`, one bit each.
    fn free_bits(&mut self, region: usize) -> &mut u64 {
        match region.checked_sub(INLINE_REGIONS) {
            None => &mut self.free[region],
            Some(later) => &mut self.more_free[later],
        }
    }

    /// A cleared slot for a child about to be forked (a new region when every slot is taken).
    pub(crate) fn take(&mut self) -> Result<(SlotId, ReportSlot)> {
        let found = (0..self.regions.len()).find(|&region| *self.free_bits(region) != 0);
        let region = match found {
            Some(region) => region,
            None => {
                let region = self.regions.len();
                self.regions.push(SharedSlice::new(SLOTS_PER_REGION)?);
                if region >= INLINE_REGIONS {
                    self.more_free.push(0);
                }
                *self.free_bits(region) = u64::MAX;
                region
            }
        };
        let bits = self.free_bits(region);
        let index = bits.trailing_zeros();
        *bits &= !(1 << index);
        let id = SlotId {
            region: region as u32,
            index,
        };
        let slot = self.slot(id);
        // SAFETY: the slot is in a live mapping of this process (regions are never unmapped).
        unsafe { (*slot).written.store(0, Ordering::Release) };
        Ok((id, ReportSlot(slot)))
    }

    /// The slot of a child that was reaped: free for the next one.
    pub(crate) fn give_back(&mut self, id: SlotId) {
        *self.free_bits(id.region as usize) |= 1 << id.index;
    }

    /// In a forked child: the parent's slots are not this process's to hand out. Their mapping
    /// stays (this child writes its own report in one of them), only the bookkeeping is dropped
    /// without unmapping anything, or freeing anything (a child that frees what its parent
    /// allocated writes the allocator's pages, each one copied).
    pub(crate) fn forget(&mut self) {
        std::mem::forget(std::mem::take(&mut self.regions));
        std::mem::forget(std::mem::take(&mut self.more_free));
        self.free = [0; INLINE_REGIONS];
    }

    fn slot(&self, id: SlotId) -> *mut Slot {
        let region = &self.regions[id.region as usize];
        debug_assert!((id.index as usize) < region.len());
        // SAFETY: the index is below the region's length (slots are made only from it).
        unsafe { region.as_ptr().add(id.index as usize) }
    }
}

/// One slot, as the child and its parent reach it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ReportSlot(*mut Slot);

// SAFETY: the slot lives in a mapping this process never unmaps, and is reached only by the
// protocol of `Slot` (one writer, then one reader).
unsafe impl Send for ReportSlot {}
// SAFETY: as above.
unsafe impl Sync for ReportSlot {}

/// What a child reported before it ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Report {
    /// A panic (true) or the body's own error (false).
    pub(crate) panicked: bool,
    pub(crate) message: String,
}

impl ReportSlot {
    /// In the child: writes its report, cut to the slot's size.
    pub(crate) fn write(&self, panicked: bool, message: &str) {
        let mut len = message.len().min(MESSAGE_BYTES);
        while !message.is_char_boundary(len) {
            len -= 1;
        }
        // SAFETY: this child owns the slot; its parent reads it only once `written` is set.
        unsafe {
            let slot = &*self.0;
            std::ptr::copy_nonoverlapping(message.as_ptr(), slot.bytes.get().cast::<u8>(), len);
            slot.len.store(len as u32, Ordering::Relaxed);
            slot.panicked.store(u32::from(panicked), Ordering::Relaxed);
            slot.written.store(1, Ordering::Release);
        }
    }

    /// In the parent, the child having ended: what it wrote, if anything.
    pub(crate) fn read(&self) -> Option<Report> {
        // SAFETY: the slot is in a live mapping; the child has ended, and `written` (Acquire)
        // says its bytes are whole.
        unsafe {
            let slot = &*self.0;
            if slot.written.load(Ordering::Acquire) != 1 {
                return None;
            }
            let len = (slot.len.load(Ordering::Relaxed) as usize).min(MESSAGE_BYTES);
            let bytes = std::slice::from_raw_parts(slot.bytes.get().cast::<u8>(), len);
            Some(Report {
                panicked: slot.panicked.load(Ordering::Relaxed) == 1,
                message: String::from_utf8_lossy(bytes).into_owned(),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_slot_carries_a_report_and_is_cleared_when_taken_again() {
        let mut slots = Slots::new();
        let (id, slot) = slots.take().unwrap();
        assert_eq!(slot.read(), None);
        slot.write(true, "boom");
        assert_eq!(
            slot.read(),
            Some(Report {
                panicked: true,
                message: "boom".into()
            })
        );
        slots.give_back(id);
        let (again, slot) = slots.take().unwrap();
        assert_eq!(again, id);
        assert_eq!(slot.read(), None);
        // A message longer than the slot is cut at a character boundary.
        let long = "é".repeat(MESSAGE_BYTES);
        slot.write(false, &long);
        let got = slot.read().unwrap();
        assert!(!got.panicked);
        assert!(got.message.len() <= MESSAGE_BYTES && long.starts_with(&got.message));
        // More children than a region holds: another region is mapped.
        let more: Vec<_> = (0..SLOTS_PER_REGION + 1)
            .map(|_| slots.take().unwrap().0)
            .collect();
        assert!(more.iter().any(|id| id.region == 1));
        // Past the regions counted in the table: still one slot per child, each given back.
        let many: Vec<_> = (0..SLOTS_PER_REGION * (INLINE_REGIONS + 1))
            .map(|_| slots.take().unwrap().0)
            .collect();
        assert!(
            many.iter()
                .any(|id| id.region as usize == INLINE_REGIONS + 1)
        );
        let mut distinct = many.clone();
        distinct.sort_by_key(|id| (id.region, id.index));
        distinct.dedup();
        assert_eq!(distinct.len(), many.len());
        for id in many {
            slots.give_back(id);
        }
        let again = slots.take().unwrap().0;
        assert!(again.region == 0 || again.region == 1);
    }
}
