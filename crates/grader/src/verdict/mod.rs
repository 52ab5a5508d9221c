//! The verdict stage: the runs' outcomes judged against the spec's checks ([`judge`]), the checks
//! every run gets ([`every_run`]), the confidence of likely checks and the coverage of the
//! shaken runs, the causes and failures a report names, the facts of the runs and a failing run
//! beside a correct one; [`report`] is the verdict's data, which `render` prints.

pub(crate) mod beside;
pub(crate) mod causes;
pub(crate) mod confidence;
pub(crate) mod coverage;
pub(crate) mod every_run;
pub(crate) mod facts;
pub(crate) mod failure;
pub(crate) mod first_difference;
pub(crate) mod judge;
pub(crate) mod report;
