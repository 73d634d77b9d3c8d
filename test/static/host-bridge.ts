/**
 * Stands in for the Atlassian host page: installs `globalThis.__bridge`, the seam
 * @forge/bridge calls. Import it before anything that imports @forge/bridge, which looks the
 * bridge up when it is first imported.
 */
type CallBridge = (name: string, payload: unknown) => Promise<unknown>;

let current: CallBridge = async (name) => {
  throw new Error(`no host bridge answer set for ${name}`);
};

export const answerBridgeWith = (callBridge: CallBridge): void => {
  current = callBridge;
};

Reflect.set(globalThis, '__bridge', { callBridge: (name: string, payload: unknown) => current(name, payload) });
