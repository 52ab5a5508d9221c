//! `Value` and `Array`: Python's `multiprocessing.Value` and `multiprocessing.Array` (from
//! `multiprocessing.sharedctypes`), plain values in memory every later fork shares, each with
//! the `RLock` Python gives it.

use std::cell::UnsafeCell;
use std::fmt;

use crate::error::{Error, ErrorKind, Result};
use crate::shm::{SharedSlice, ZeroedAtomics};
use crate::synchronize::RLock;

/// A plain value that can live in shared memory: what a ctypes typecode names in Python
/// (`'i'` is `i32`, `'d'` is `f64`, `'c'` is `u8`, ...), and arrays of them.
///
/// ```
/// use multitask::{CType, Value};
/// fn shared<T: CType>(first: T) -> multitask::Result<Value<T>> {
///     Value::new(first)
/// }
/// let point = shared([1.0f64, 2.0])?; // a ctypes array of 2 doubles
/// assert_eq!(point.get(), [1.0, 2.0]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Safety
/// All-zero bytes must be a valid value, and the type must hold no pointer, reference or
/// handle (another process reads the bytes as they are).
pub unsafe trait CType: Copy + Send + 'static {}

macro_rules! ctypes {
    ($($t:ty),*) => {
        // SAFETY: numbers, bool and char: all zero is 0, false, '\0'; no pointers.
        $(unsafe impl CType for $t {})*
    };
}
ctypes!(
    i8, i16, i32, i64, i128, isize, u8, u16, u32, u64, u128, usize, f32, f64, bool, char
);
// SAFETY: an array of plain values is plain.
unsafe impl<T: CType, const N: usize> CType for [T; N] {}

/// One value in the mapping, reached only under its `RLock`.
#[repr(transparent)]
struct Slot<T>(UnsafeCell<T>);

// SAFETY: T is a CType (all zero is valid, no pointers); the slot is read and written only
// with its RLock held.
unsafe impl<T: CType> ZeroedAtomics for Slot<T> {}

/// A value shared by processes, like `multiprocessing.Value('i', 0)`: every later fork reads
/// and writes the same one. [`get`](Value::get) and [`set`](Value::set) (Python's `.value`)
/// each take its lock; to read and write as one step, hold [`get_lock`](Value::get_lock), a
/// recursive lock as in Python, around them.
///
/// ```
/// use multitask::{Process, Value};
/// let counter = Value::new(0i32)?; // Value('i', 0)
/// let mut children: Vec<Process> = (0..4)
///     .map(|_| Process::new(|| {
///         for _ in 0..100 {
///             let _held = counter.get_lock().acquire(); // with counter.get_lock():
///             counter.set(counter.get() + 1);            //     counter.value += 1
///         }
///     }))
///     .collect();
/// for p in &mut children { p.start()?; }
/// for p in &children { p.join()?; }
/// assert_eq!(counter.get(), 400);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct Value<T: CType> {
    lock: RLock,
    slot: SharedSlice<Slot<T>>,
}

impl<T: CType + fmt::Debug> fmt::Debug for Value<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Value").field("value", &self.get()).finish()
    }
}

impl<T: CType> Value<T> {
    /// A shared value holding `value`; `Os` error when the mapping fails.
    ///
    /// ```
    /// let v = multitask::Value::new(3.5f64)?; // Value('d', 3.5)
    /// assert_eq!(v.get(), 3.5);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(value: T) -> Result<Self> {
        let made = Value {
            lock: RLock::new()?,
            slot: SharedSlice::new(1)?,
        };
        made.set(value);
        Ok(made)
    }

    /// Python's `v.value` (read), under the lock.
    ///
    /// ```
    /// assert_eq!(multitask::Value::new(7u8)?.get(), 7);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn get(&self) -> T {
        let _held = self.lock.acquire();
        // SAFETY: the slot is a valid T in our mapping, and we hold its lock.
        unsafe { *(*self.slot.as_ptr()).0.get() }
    }

    /// Python's `v.value = x`, under the lock.
    ///
    /// ```
    /// let v = multitask::Value::new(0i64)?;
    /// v.set(-5);
    /// assert_eq!(v.get(), -5);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn set(&self, value: T) {
        let _held = self.lock.acquire();
        // SAFETY: as in get; no reference to the slot outlives these calls.
        unsafe { *(*self.slot.as_ptr()).0.get() = value };
    }

    /// Python's `v.get_lock()`: the value's recursive lock, to make several steps one.
    ///
    /// ```
    /// let v = multitask::Value::new(1u32)?;
    /// let _held = v.get_lock().acquire();
    /// v.set(v.get() * 2);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn get_lock(&self) -> &RLock {
        &self.lock
    }
}

/// A fixed-length array shared by processes, like `multiprocessing.Array('i', 10)` or
/// `Array('i', [1, 2, 3])`. Each call takes its lock; hold [`get_lock`](Array::get_lock)
/// around several to make them one step.
///
/// ```
/// use multitask::{Array, Process};
/// let squares = Array::<u64>::new(4)?; // Array('L', 4)
/// let mut p = Process::new(|| {
///     for i in 0..squares.len() {
///         squares.set(i, (i * i) as u64)?;
///     }
///     Ok::<(), multitask::Error>(())
/// });
/// p.start()?;
/// p.join()?;
/// assert_eq!(squares.to_vec(), vec![0, 1, 4, 9]); // arr[:]
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct Array<T: CType> {
    lock: RLock,
    items: SharedSlice<Slot<T>>,
}

impl<T: CType + fmt::Debug> fmt::Debug for Array<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Array")
            .field("items", &self.to_vec())
            .finish()
    }
}

impl<T: CType> Array<T> {
    /// `len` zeros (Python's `Array('i', len)`).
    ///
    /// ```
    /// assert_eq!(multitask::Array::<i32>::new(3)?.to_vec(), vec![0, 0, 0]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(len: usize) -> Result<Self> {
        Ok(Array {
            lock: RLock::new()?,
            items: SharedSlice::new(len)?,
        })
    }

    /// A copy of `items` (Python's `Array('i', [1, 2, 3])`).
    ///
    /// ```
    /// let a = multitask::Array::from_slice(&[1.5f64, 2.5])?;
    /// assert_eq!(a.get(1), Some(2.5));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_slice(items: &[T]) -> Result<Self> {
        let made = Array::new(items.len())?;
        made.copy_from_slice(items)?;
        Ok(made)
    }

    /// Python's `len(arr)`.
    ///
    /// ```
    /// assert_eq!(multitask::Array::<u8>::new(5)?.len(), 5);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// True for an array of no items.
    ///
    /// ```
    /// assert!(multitask::Array::<u8>::new(0)?.is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn is_empty(&self) -> bool {
        self.items.len() == 0
    }

    fn slot(&self, index: usize) -> Option<*mut T> {
        // SAFETY: index < len, so the slot is inside the mapping.
        (index < self.len()).then(|| unsafe { (*self.items.as_ptr().add(index)).0.get() })
    }

    /// Python's `arr[i]`: `None` past the end (Python's `IndexError`).
    ///
    /// ```
    /// let a = multitask::Array::from_slice(&[7u8])?;
    /// assert_eq!((a.get(0), a.get(1)), (Some(7), None));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn get(&self, index: usize) -> Option<T> {
        let slot = self.slot(index)?;
        let _held = self.lock.acquire();
        // SAFETY: a valid T in the mapping, read under the lock.
        Some(unsafe { *slot })
    }

    /// Python's `arr[i] = x`: `State` error past the end (Python's `IndexError`).
    ///
    /// ```
    /// let a = multitask::Array::<u8>::new(1)?;
    /// a.set(0, 9)?;
    /// assert!(a.set(1, 9).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn set(&self, index: usize, value: T) -> Result<()> {
        let slot = self.slot(index).ok_or_else(|| {
            Error::new(
                ErrorKind::State,
                format!("array index {index} out of range (length {})", self.len()),
            )
        })?;
        let _held = self.lock.acquire();
        // SAFETY: a valid T in the mapping, written under the lock.
        unsafe { *slot = value };
        Ok(())
    }

    /// Python's `arr[:]`: a copy of every item, taken under the lock at once.
    ///
    /// ```
    /// assert_eq!(multitask::Array::from_slice(&[1, 2])?.to_vec(), vec![1, 2]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn to_vec(&self) -> Vec<T> {
        let _held = self.lock.acquire();
        (0..self.len())
            .filter_map(|i| self.slot(i))
            // SAFETY: each a valid T in the mapping, read under the lock.
            .map(|slot| unsafe { *slot })
            .collect()
    }

    /// Python's `arr[:] = items`: `State` error when the lengths differ (Python's
    /// `ValueError`).
    ///
    /// ```
    /// let a = multitask::Array::<i16>::new(2)?;
    /// a.copy_from_slice(&[3, 4])?;
    /// assert!(a.copy_from_slice(&[1]).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn copy_from_slice(&self, items: &[T]) -> Result<()> {
        if items.len() != self.len() {
            return Err(Error::new(
                ErrorKind::State,
                format!(
                    "cannot assign {} items to an array of {}",
                    items.len(),
                    self.len()
                ),
            ));
        }
        let _held = self.lock.acquire();
        for (i, item) in items.iter().enumerate() {
            if let Some(slot) = self.slot(i) {
                // SAFETY: a valid T in the mapping, written under the lock.
                unsafe { *slot = *item };
            }
        }
        Ok(())
    }

    /// Python's `arr.get_lock()`: the array's recursive lock.
    ///
    /// ```
    /// let a = multitask::Array::from_slice(&[1u32, 2])?;
    /// let _held = a.get_lock().acquire();
    /// a.set(0, a.get(0).unwrap_or(0) + a.get(1).unwrap_or(0))?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn get_lock(&self) -> &RLock {
        &self.lock
    }
}
