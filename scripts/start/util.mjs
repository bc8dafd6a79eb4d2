// Small helpers shared by start.mjs and its modules. node: built-ins only (runs before install).

export function say(message) {
  console.log(`shanhai: ${message}`);
}

export function sayError(message) {
  console.error(`shanhai: ${message}`);
}

export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** For code paths that end in process.exit elsewhere: never settles, so nothing runs after. */
export function never() {
  return new Promise(() => undefined);
}

/** True if the promise settled within `ms`. */
export function within(promise, ms) {
  return Promise.race([promise.then(() => true, () => true), sleep(ms).then(() => false)]);
}

/** Like `new Promise(executor)`, rejected with `no answer within N s` if it takes longer. */
export function withTimeout(ms, executor) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms / 1000} s`)), ms);
    executor(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
