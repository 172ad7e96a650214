// SPDX-License-Identifier: Apache-2.0
// The browser's log: one line per event on stdout (what happens) or stderr
// (what went wrong). s6-log adds the timestamps, so none is printed here.

// A line never spans lines: control characters (a message quoting a
// client's input, an error from a library) are replaced by spaces.
export function oneLine(text) {
  return String(text).replace(/\s*[\u0000-\u001f\u007f]+\s*/g, ' ').trim();
}

export function createLog(stdout = process.stdout, stderr = process.stderr) {
  return {
    info(text) {
      stdout.write(`${oneLine(text)}\n`);
    },
    error(text) {
      stderr.write(`${oneLine(text)}\n`);
    },
  };
}

// For tests and for code that must not print.
export const silentLog = { info() {}, error() {} };
