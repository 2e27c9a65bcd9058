// A property that fails has already killed its mutant: stop there rather than shrink the counterexample.
import fc from 'fast-check';

fc.configureGlobal({ ...fc.readConfigureGlobal(), endOnFailure: true });
