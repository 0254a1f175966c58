/**
 * A writer to a stream that goes quiet once the reader is gone: when the
 * other end of a pipe closes (`crm-topics validate … | head`), the stream's
 * `EPIPE` error is taken as "nobody reads any more" instead of crashing the
 * process with a stack trace, and later text is dropped. The command still
 * finishes and exits with its own code.
 *
 * @example
 * const write = pipeWriter(process.stdout);
 * write('a line\n'); // written, or dropped once the reader has closed the pipe
 */
export function pipeWriter(stream: NodeJS.WritableStream): (text: string) => void {
  let closed = false;
  stream.on('error', () => {
    // EPIPE (the reader left) or any other failure of the stream: nothing more can be written to it.
    closed = true;
  });
  return (text) => {
    if (closed) return;
    try {
      stream.write(text);
    } catch {
      // A synchronous write to a pipe whose reader is gone may throw EPIPE instead of emitting it.
      closed = true;
    }
  };
}
