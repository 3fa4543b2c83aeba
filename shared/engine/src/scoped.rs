//! A thread-local that holds a value for the duration of one call: what the text being read
//! says of itself (its umlaut spellings, its abbreviations), set by `icp::parse_parts` and read
//! deep inside the readers without threading it through every signature.
use std::cell::RefCell;
use std::thread::LocalKey;

/// Runs `f` with `key` holding `value`, then puts back what it held before, also when `f`
/// unwinds: a nested call sees its own value, the outer one its own again afterwards.
pub fn with<T: 'static, R>(
    key: &'static LocalKey<RefCell<T>>,
    value: T,
    f: impl FnOnce() -> R,
) -> R {
    struct Restore<T: 'static> {
        key: &'static LocalKey<RefCell<T>>,
        before: Option<T>,
    }
    impl<T: 'static> Drop for Restore<T> {
        fn drop(&mut self) {
            if let Some(before) = self.before.take() {
                self.key.with(|cell| *cell.borrow_mut() = before);
            }
        }
    }
    let before = key.with(|cell| std::mem::replace(&mut *cell.borrow_mut(), value));
    let _restore = Restore {
        key,
        before: Some(before),
    };
    f()
}

#[cfg(test)]
mod tests {
    use super::*;

    thread_local! {
        static HELD: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
    }

    #[test]
    fn a_value_holds_for_its_call_and_the_one_before_comes_back() {
        let held = || HELD.with(|h| h.borrow().clone());
        let inner = with(&HELD, vec![1], || {
            let nested = with(&HELD, vec![2], held);
            (nested, held())
        });
        assert_eq!(inner, (vec![2], vec![1]));
        assert!(held().is_empty());
        let unwound = std::panic::catch_unwind(|| with(&HELD, vec![3], || panic!("unwinds")));
        assert!(unwound.is_err());
        assert!(held().is_empty());
    }
}
