"""A fake desktop-notification server for the end-to-end tests.

Owns `org.freedesktop.Notifications` on the session bus, answers like a real server, and appends
every `Notify` call to a JSON-lines file so a test can read what the app sent:

    {"member": "Notify", "app_name": "...", "replaces_id": 0, "app_icon": "...",
     "summary": "...", "body": "...", "actions": [...], "hints": {...}, "expire_timeout": -1,
     "id": 1, "sender": ":1.7", "at": 1732281234.5}

Usage: python notify_server.py LOG_FILE READY_FILE
READY_FILE is written once the bus name is owned: start the app only after it exists.
Ends on SIGTERM/SIGINT or when the bus goes away.
"""

import json
import signal
import sys
import time

from jeepney import HeaderFields, MessageType, new_error, new_method_return
from jeepney.bus_messages import message_bus
from jeepney.io.blocking import open_dbus_connection

NAME = "org.freedesktop.Notifications"
PATH = "/org/freedesktop/Notifications"
IFACE = "org.freedesktop.Notifications"
DO_NOT_QUEUE = 4
PRIMARY_OWNER = 1

INTROSPECTION = """<!DOCTYPE node PUBLIC "-//freedesktop//DTD D-BUS Object Introspection 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/introspect.dtd">
<node>
  <interface name="org.freedesktop.Notifications">
    <method name="Notify">
      <arg type="s" direction="in"/><arg type="u" direction="in"/><arg type="s" direction="in"/>
      <arg type="s" direction="in"/><arg type="s" direction="in"/><arg type="as" direction="in"/>
      <arg type="a{sv}" direction="in"/><arg type="i" direction="in"/><arg type="u" direction="out"/>
    </method>
    <method name="CloseNotification"><arg type="u" direction="in"/></method>
    <method name="GetCapabilities"><arg type="as" direction="out"/></method>
    <method name="GetServerInformation">
      <arg type="s" direction="out"/><arg type="s" direction="out"/>
      <arg type="s" direction="out"/><arg type="s" direction="out"/>
    </method>
  </interface>
</node>
"""


def plain(value):
    """JSON-friendly form of a D-Bus value (bytes become their length)."""
    if isinstance(value, bytes):
        return {"bytes": len(value)}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    return value


def variant(value):
    """jeepney hands a variant over as a (signature, value) pair: keep the value."""
    if isinstance(value, tuple) and len(value) == 2 and isinstance(value[0], str):
        return plain(value[1])
    return plain(value)


def main():
    log_path, ready_path = sys.argv[1], sys.argv[2]
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))

    conn = open_dbus_connection(bus="SESSION")
    reply = conn.send_and_get_reply(message_bus.RequestName(NAME, DO_NOT_QUEUE))
    if reply.body[0] != PRIMARY_OWNER:
        print(f"notify_server: {NAME} is already owned (RequestName -> {reply.body[0]})", file=sys.stderr)
        return 1

    log = open(log_path, "a", encoding="utf-8")
    with open(ready_path, "w", encoding="utf-8") as ready:
        ready.write(conn.unique_name + "\n")

    next_id = 0
    while True:
        msg = conn.receive()
        hdr = msg.header
        if hdr.message_type != MessageType.method_call:
            continue
        member = hdr.fields.get(HeaderFields.member)
        iface = hdr.fields.get(HeaderFields.interface)
        sender = hdr.fields.get(HeaderFields.sender)

        if member == "Notify" and iface in (IFACE, None):
            next_id += 1
            app_name, replaces_id, app_icon, summary, body, actions, hints, expire_timeout = msg.body
            record = {
                "member": "Notify",
                "app_name": app_name,
                "replaces_id": replaces_id,
                "app_icon": app_icon,
                "summary": summary,
                "body": body,
                "actions": list(actions),
                "hints": {str(k): variant(v) for k, v in hints.items()},
                "expire_timeout": expire_timeout,
                "id": next_id,
                "sender": sender,
                "at": time.time(),
            }
            log.write(json.dumps(record, ensure_ascii=False) + "\n")
            log.flush()
            conn.send(new_method_return(msg, "u", (next_id,)))
        elif member == "GetCapabilities":
            conn.send(new_method_return(msg, "as", (["body", "actions", "persistence"],)))
        elif member == "GetServerInformation":
            conn.send(new_method_return(msg, "ssss", ("loket-e2e-fake", "Loket e2e", "1.0", "1.2")))
        elif member == "CloseNotification":
            log.write(json.dumps({"member": "CloseNotification", "id": msg.body[0], "at": time.time()}) + "\n")
            log.flush()
            conn.send(new_method_return(msg))
        elif member == "Introspect":
            conn.send(new_method_return(msg, "s", (INTROSPECTION,)))
        elif member == "Ping":
            conn.send(new_method_return(msg))
        else:
            conn.send(
                new_error(msg, "org.freedesktop.DBus.Error.UnknownMethod", "s", (f"{iface}.{member} is not implemented",))
            )


if __name__ == "__main__":
    sys.exit(main())
