"""The caller's path, webhook by webhook: the routing core, the live queue, the record.

One use case per concern, composed rather than inherited:
`incoming` (a new call, the menu, carrying out any routing decision), `waiting` (the
wait loop, the voicemail key, the queue's result, rollover, abandon), `transfer`
(a failed external dial, a counselor's hand-over), `bridge` (to the counselor's
browser and back), `voicemail`, `status` (the provider's status callbacks) and
`failsafe` (the answer, and its record, when our own parts fail). `recording` is
what they share: one way to write a record change.

Each takes an InboundCall and plain values, and returns an answer of
hotline.ports (rendered as TwiML by telephony/answers.py). Any failure inside is
caught by the blueprint (web/voice.py) and answered by the fail-safe.
"""
