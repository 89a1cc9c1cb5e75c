/* The dashboard's alarm for imminent-risk alerts: Web Audio tones, no audio files.
 *
 * It repeats every REPEAT_MS while at least one sounding alert is unacknowledged —
 * there is deliberately no mute: acknowledging the alert is the way to stop it.
 * Browsers allow sound only after a user gesture, so dashboard.js calls unlock() on the
 * first click or key press and shows a banner until then.
 * Exposes window.HotlineAlarm: unlock(), set(on), burst(), state().
 */
(function () {
  "use strict";

  var REPEAT_MS = 2500;

  function tone(ctx, frequency, at, length) {
    var oscillator = ctx.createOscillator();
    var gain = ctx.createGain();
    oscillator.type = "square";
    oscillator.frequency.value = frequency;
    gain.gain.setValueAtTime(0, at);
    gain.gain.linearRampToValueAtTime(0.06, at + 0.01);
    gain.gain.setValueAtTime(0.06, at + length - 0.03);
    gain.gain.linearRampToValueAtTime(0, at + length);
    oscillator.connect(gain).connect(ctx.destination);
    oscillator.start(at);
    oscillator.stop(at + length + 0.05);
  }

  window.HotlineAlarm = {
    ctx: null, timer: null, on: false, bursts: 0,
    unlock: function () {
      try {
        var AudioContext = window.AudioContext || window.webkitAudioContext;
        if (!this.ctx && AudioContext) this.ctx = new AudioContext();
        if (this.ctx && this.ctx.state === "suspended") this.ctx.resume();
      } catch (e) { /* no audio device: the flashing alert card still shows */ }
    },
    /* "running" when sound can play, "locked" before a gesture, "none" without Web Audio. */
    state: function () {
      if (!this.ctx) return (window.AudioContext || window.webkitAudioContext) ? "locked" : "none";
      return this.ctx.state === "running" ? "running" : "locked";
    },
    /* One alarm: a falling two-tone, three times (distinct from the console's ring). */
    burst: function () {
      this.bursts += 1;
      var ctx = this.ctx;
      if (!ctx || ctx.state !== "running") return;
      var t = ctx.currentTime;
      [0, 0.45, 0.9].forEach(function (offset) { tone(ctx, 988, t + offset, 0.18); tone(ctx, 740, t + offset + 0.2, 0.18); });
    },
    set: function (on) {
      this.on = !!on;
      if (this.on && !this.timer) {
        this.burst();
        this.timer = setInterval(this.burst.bind(this), REPEAT_MS);
      } else if (!this.on && this.timer) {
        clearInterval(this.timer);
        this.timer = null;
      }
    }
  };
})();
