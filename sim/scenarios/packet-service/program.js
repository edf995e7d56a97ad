// A service answering packets from an input trace: each packet on "net0" gets a reply on
// "net0" through Miou.send, stamped with the virtual time it arrived. Text packets are
// answered in upper case; bytes are answered reversed. A "quit" packet stops the service,
// so the packet after it is left unread.
function* main() {
  let answered = 0;
  for (;;) {
    const packet = yield* Miou.recv("net0");
    if (packet === "quit") break;
    if (packet instanceof ArrayBuffer) {
      const reversed = new Uint8Array(packet).slice().reverse();
      Miou.send("net0", reversed);
    } else {
      Miou.send("net0", { at_ns: Miou.now(), reply: String(packet.text).toUpperCase() });
    }
    answered++;
  }
  console.log("answered " + answered + " packets");
  return { answered, end_ns: Miou.now() };
}
