/* The browser softphone: a Twilio Voice SDK Device that answers the accepted caller.
 *
 * After the counselor accepts, the server bridges the caller with <Dial><Client> to
 * identity counselor-<id>; this Device auto-answers that incoming leg, and rejects any
 * other ring (nothing may reach a counselor who has not accepted). Only loaded with a
 * Twilio account; in simulator mode the page works without audio.
 * Exposes window.HotlineSoftphone.create({expectingBridge, status, ended}).
 */
(function () {
  "use strict";

  function fetchToken() {
    return fetch("/console/token", { credentials: "same-origin" }).then(function (response) {
      return response.json().then(function (data) {
        if (!response.ok) throw new Error(data.message || data.error || "HTTP " + response.status);
        return data.token;
      });
    });
  }

  function create(hooks) {
    var phone = { device: null, call: null };

    function wire(device) {
      device.on("registered", function () { hooks.status("软电话已就绪 / softphone ready", false); });
      device.on("unregistered", function () { hooks.status("软电话未注册 / softphone not registered", true); });
      device.on("error", function (error) { hooks.status("软电话错误 / softphone error: " + (error.message || error), true); });
      device.on("incoming", incoming);
      device.on("tokenWillExpire", function () { fetchToken().then(function (t) { device.updateToken(t); }); });
    }

    function incoming(call) {
      if (!hooks.expectingBridge()) { call.reject(); return; }
      call.accept();
      phone.call = call;
      hooks.status("通话音频已接通 / call audio connected", false);
      call.on("disconnect", function () {
        phone.call = null;
        hooks.status("软电话已就绪 / softphone ready", false);
        hooks.ended();
      });
    }

    phone.start = function () {
      if (!window.Twilio || !window.Twilio.Device) {
        hooks.status("软电话库未加载 / softphone library missing", true);
        return;
      }
      fetchToken().then(function (token) {
        phone.device = new window.Twilio.Device(token, { closeProtection: "通话进行中 / a call is in progress" });
        wire(phone.device);
        return phone.device.register();
      }).catch(function (error) { hooks.status("软电话不可用 / softphone unavailable: " + error.message, true); });
    };

    phone.hangup = function () {
      if (phone.call) { phone.call.disconnect(); phone.call = null; }
    };
    return phone;
  }

  window.HotlineSoftphone = { create: create };
})();
