/* The console's ring: two-tone bursts made with the Web Audio API (no audio files).
 *
 * Browsers allow sound only after a user gesture, so console.js calls unlock() on the
 * first click or key press; until then an offer still shows as a pulsing card.
 * Exposes window.HotlineRinger with unlock(), burst(), start() and stop().
 */
(function () {
  "use strict";

  function tone(ctx, frequency, at, length) {
    var oscillator = ctx.createOscillator();
    var gain = ctx.createGain();
    oscillator.frequency.value = frequency;
    gain.gain.setValueAtTime(0, at);
    gain.gain.linearRampToValueAtTime(0.08, at + 0.02);
    gain.gain.setValueAtTime(0.08, at + length - 0.05);
    gain.gain.linearRampToValueAtTime(0, at + length);
    oscillator.connect(gain).connect(ctx.destination);
    oscillator.start(at);
    oscillator.stop(at + length + 0.05);
  }

  window.HotlineRinger = {
    ctx: null, timer: null,
    unlock: function () {
      try {
        var AudioContext = window.AudioContext || window.webkitAudioContext;
        if (!this.ctx && AudioContext) this.ctx = new AudioContext();
        if (this.ctx && this.ctx.state === "suspended") this.ctx.resume();
      } catch (e) { /* no audio device: the pulsing card still shows the offer */ }
    },
    /* One ring: 440 + 480 Hz (a telephone's ring-back chord), twice. */
    burst: function () {
      var ctx = this.ctx;
      if (!ctx || ctx.state !== "running") return;
      var t = ctx.currentTime;
      [0, 0.55].forEach(function (offset) { tone(ctx, 440, t + offset, 0.4); tone(ctx, 480, t + offset, 0.4); });
    },
    start: function () {
      this.unlock();
      if (this.timer) return;
      this.burst();
      this.timer = setInterval(this.burst.bind(this), 3000);
    },
    stop: function () { clearInterval(this.timer); this.timer = null; }
  };
})();
