"""Porthole's local SMTP server: accepts mail on loopback and keeps each message as a Maildir file.

Usage: python3 smtp-maildir.py <port> <maildir>
Recipients whose local part starts with "reject" are refused (550), so tests can see a permanent failure.
"""
import mailbox
import signal
import sys
import threading

from aiosmtpd.controller import Controller


class MaildirHandler:
    def __init__(self, path):
        self.box = mailbox.Maildir(path, create=True)
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.split("@", 1)[0].lower().startswith("reject"):
            return "550 5.1.1 Recipient address rejected: no such user"
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server, session, envelope):
        content = envelope.original_content or envelope.content
        header = ("X-Porthole-Envelope-To: " + ", ".join(envelope.rcpt_tos) + "\r\n").encode()
        with self.lock:
            key = self.box.add(mailbox.MaildirMessage(header + content))
        return "250 2.0.0 Ok: queued as " + key


def main():
    port, path = int(sys.argv[1]), sys.argv[2]
    controller = Controller(MaildirHandler(path), hostname="127.0.0.1", port=port, data_size_limit=33554432)
    controller.start()
    print(f"SMTP on 127.0.0.1:{port}, messages in {path}", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait()
    controller.stop()


if __name__ == "__main__":
    main()
