//! The exit status of a command: what its answer was, as a number the shell can test.

/// How a run of `iamproof` ended. The numbers are the process's exit status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Exit {
    /// 0: the command ran and the answer is "yes" (PASS, no blocking finding; also `--help`).
    Pass = 0,
    /// 1: a check ran and the answer is "no" (FAIL, blocking findings).
    Fail = 1,
    /// 2: bad usage, bad input, or the command could not run (an engine error).
    Error = 2,
}

impl Exit {
    /// The process exit status (0, 1 or 2).
    pub fn code(self) -> i32 {
        self as i32
    }
}

impl From<Exit> for std::process::ExitCode {
    fn from(e: Exit) -> Self {
        std::process::ExitCode::from(e as u8)
    }
}

impl std::process::Termination for Exit {
    fn report(self) -> std::process::ExitCode {
        self.into()
    }
}
