/*!
 * Widget de discussion de l'assistant d'information sur les métastases vertébrales.
 *
 * Intégration : une seule balise <script> (web/embed.py l'écrit, docs/widget.md la montre) :
 *   <script src="/widget/metastases-chat.js" data-server="https://bot.example.org" data-mode="floating" defer></script>
 * data-mode="inline" affiche le panneau à la place de la balise ; "floating", un bouton flottant.
 * Options avancées : window.MetastasesChatConfig (les attributs data- l'emportent).
 *
 * Textes : metastases-chat-texts.js (même dossier), écrit depuis content/widget.yml ; le widget
 * n'affiche aucun texte qui n'en vienne, hors ceux du bot.
 * Transport : socket.io-client v4 (chargé depuis le même dossier que ce fichier, jamais d'un
 * CDN), canal socketio de Rasa 3.6 avec session_persistence. Tout le texte (patient et
 * assistant) est inséré avec textContent : jamais de innerHTML.
 * Voir docs/widget.md.
 */
(function () {
  "use strict";

  if (window.MetastasesChat && window.MetastasesChat.loaded) return;

  var script = document.currentScript;
  var BASE = script && script.src ? script.src.replace(/[^/]*$/, "") : "/widget/";

  var MODES = ["inline", "floating"];

  var DEFAULTS = {
    rasaUrl: "http://localhost:5005",
    socketPath: "/socket.io",
    // "inline": the panel where the script tag is; "floating": a button at the bottom right.
    mode: "floating",
    title: null, // the title of content/widget.yml
    // Sent (not shown) when a new session starts, so that the bot says its welcome.
    initPayload: "/session_start",
    // "session": per tab, kept on reload, gone when the tab is closed (default).
    // "local": kept across tabs and restarts. "none": nothing kept.
    storage: "session",
    storageKey: "metastases-chat",
    // CSS selector of an element to render the inline panel into, instead of the script's place.
    container: null,
    startOpen: false,
    socketIoUrl: BASE + "socket.io.min.js",
    textsUrl: BASE + "metastases-chat-texts.js",
    cssUrl: BASE + "metastases-chat.css",
    transports: ["websocket", "polling"],
    typingTimeoutMs: 30000,
    maxHistory: 200,
    maxLength: null, // the channels' cap, from the texts script (assistant/channels/limits.py)
    io: null // an io() function already loaded (tests, or a page that bundles socket.io-client)
  };

  // The embed snippet's attributes: the bot's address and the mode.
  var dataConfig = {};
  if (script && script.hasAttribute("data-server")) dataConfig.rasaUrl = script.getAttribute("data-server");
  if (script && script.hasAttribute("data-mode")) dataConfig.mode = script.getAttribute("data-mode");

  var config = {};
  var userConfig = window.MetastasesChatConfig || {};
  Object.keys(DEFAULTS).forEach(function (key) {
    var sources = [dataConfig[key], userConfig[key], DEFAULTS[key]];
    for (var i = 0; i < sources.length; i++) {
      if (sources[i] !== undefined && sources[i] !== null) return (config[key] = sources[i]);
    }
    config[key] = null;
  });
  config.rasaUrl = String(config.rasaUrl).replace(/\/+$/, "");
  if (MODES.indexOf(config.mode) < 0) {
    if (window.console) console.error("MetastasesChat: data-mode must be \"inline\" or \"floating\", not " + JSON.stringify(config.mode));
    config.mode = DEFAULTS.mode;
  }

  // The reviewed texts (content/widget.yml) arrive in their own script, loaded once.
  function loadTexts(callback) {
    if (window.MetastasesChatTexts) return callback(window.MetastasesChatTexts);
    var tag = document.createElement("script");
    tag.src = config.textsUrl;
    tag.async = true;
    tag.onload = function () { callback(window.MetastasesChatTexts); };
    tag.onerror = function () {
      if (window.console) console.error("MetastasesChat: texts could not be loaded from " + config.textsUrl);
    };
    document.head.appendChild(tag);
  }

  function main(texts) {
    var TEXT = texts.texts;
    var TRIAGE = texts.triage;
    if (!config.maxLength) config.maxLength = texts.limits.maxMessageChars;
    // Only the levels the texts describe, never a key inherited from Object ("constructor").
    function knownLevel(level) {
      return typeof level === "string" && Object.prototype.hasOwnProperty.call(TRIAGE, level) ? level : null;
    }

    // --- Storage ------------------------------------------------------------------------

    var store = (function () {
      var backend = null;
      try {
        if (config.storage === "local") backend = window.localStorage;
        else if (config.storage === "session") backend = window.sessionStorage;
      } catch (e) {
        backend = null; // storage disabled by the browser: the conversation lives in memory only
      }
      var key = config.storageKey + ":v1";
      return {
        load: function () {
          if (!backend) return null;
          try {
            var value = JSON.parse(backend.getItem(key) || "null");
            return value && typeof value === "object" ? value : null;
          } catch (e) {
            return null;
          }
        },
        save: function (value) {
          if (!backend) return;
          try {
            backend.setItem(key, JSON.stringify(value));
          } catch (e) {
            /* quota or privacy mode: keep going without persistence */
          }
        },
        clear: function () {
          if (!backend) return;
          try {
            backend.removeItem(key);
          } catch (e) {
            /* ignore */
          }
        }
      };
    })();

    function freshState() {
      return { sessionId: null, messages: [], triage: null, open: !!config.startOpen, nextId: 1 };
    }

    var state = freshState();
    var saved = store.load();
    if (saved && Array.isArray(saved.messages)) {
      state.sessionId = typeof saved.sessionId === "string" ? saved.sessionId : null;
      state.messages = saved.messages.filter(function (m) {
        return m && (m.from === "user" || m.from === "bot") && typeof m.text === "string";
      });
      state.triage = knownLevel(saved.triage);
      state.open = typeof saved.open === "boolean" ? saved.open : state.open;
      state.nextId = Number(saved.nextId) || state.messages.length + 1;
    }

    function persist() {
      if (state.messages.length > config.maxHistory) {
        state.messages = state.messages.slice(-config.maxHistory);
      }
      store.save({
        sessionId: state.sessionId,
        messages: state.messages,
        triage: state.triage,
        open: state.open,
        nextId: state.nextId
      });
    }

    // --- DOM helpers (textContent only) -------------------------------------------------

    function el(tag, attrs, children) {
      var node = document.createElement(tag);
      if (attrs) {
        Object.keys(attrs).forEach(function (name) {
          var value = attrs[name];
          if (value === null || value === undefined || value === false) return;
          if (name === "text") node.textContent = value;
          else if (name === "className") node.className = value;
          else node.setAttribute(name, value === true ? "" : String(value));
        });
      }
      (children || []).forEach(function (child) {
        if (child === null || child === undefined) return;
        node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
      });
      return node;
    }

    // ["text ", ["15", "15 (SAMU)"], ...] -> text nodes and tel: links.
    function richText(parts) {
      return parts.map(function (part) {
        if (typeof part === "string") return document.createTextNode(part);
        return el("a", { href: "tel:" + part[0], className: "mc-tel", text: part[1] });
      });
    }

    // --- UI ------------------------------------------------------------------------------

    var host = el("div", { id: "metastases-chat", "data-connection": "idle" });
    var shadow = host.attachShadow ? host.attachShadow({ mode: "open" }) : host;
    var embedded = config.mode === "inline" || !!config.container;

    var ui = {};
    ui.title = el("h2", { className: "mc-title", id: "mc-title", text: config.title || TEXT.title });
    ui.newButton = el("button", { type: "button", className: "mc-button mc-new", text: TEXT.newConversation });
    ui.closeButton = embedded
      ? null
      : el("button", { type: "button", className: "mc-button mc-close", "aria-label": TEXT.close, title: TEXT.close }, [
          el("span", { "aria-hidden": "true", text: "×" })
        ]);
    ui.header = el("header", { className: "mc-header" }, [
      ui.title,
      el("div", { className: "mc-header-actions" }, [ui.newButton, ui.closeButton])
    ]);
    ui.disclaimer = el("p", { className: "mc-disclaimer", text: TEXT.disclaimer });
    ui.emergency = el("p", { className: "mc-emergency" }, [
      el("span", { className: "mc-icon", "aria-hidden": "true", text: "☎" }), " "
    ].concat(richText(TEXT.emergency)));
    // A landmark to come back to; the urgent message itself is the alert that is announced.
    ui.urgentBanner = el("div", { className: "mc-urgent-banner", role: "region", hidden: true });
    ui.statusText = el("span", { className: "mc-status-text" });
    ui.retryButton = el("button", { type: "button", className: "mc-button mc-retry", text: TEXT.retry, hidden: true });
    ui.status = el("div", { className: "mc-status", role: "status", hidden: true }, [ui.statusText, " ", ui.retryButton]);
    // A list (each message a list item) and the polite live region for the answers; an urgent
    // answer carries its own assertive alert (renderMessage).
    ui.list = el("ol", {
      className: "mc-messages",
      "aria-live": "polite",
      "aria-relevant": "additions",
      "aria-label": TEXT.messages,
      tabindex: "0"
    });
    ui.typing = el("div", { className: "mc-typing", hidden: true, role: "status" }, [
      el("span", { text: TEXT.typing }),
      el("span", { className: "mc-dots", "aria-hidden": "true" }, [el("span"), el("span"), el("span")])
    ]);
    ui.input = el("textarea", {
      className: "mc-input",
      id: "mc-input",
      rows: "2",
      maxlength: String(config.maxLength),
      placeholder: TEXT.placeholder,
      autocomplete: "off"
    });
    ui.sendButton = el("button", { type: "submit", className: "mc-button mc-send", text: TEXT.send });
    ui.form = el("form", { className: "mc-composer", novalidate: true }, [
      el("label", { className: "mc-sr", for: "mc-input", text: TEXT.inputLabel }),
      ui.input,
      ui.sendButton
    ]);
    ui.panel = el(embedded ? "section" : "div", {
      className: "mc-panel",
      id: "mc-panel",
      "aria-labelledby": "mc-title",
      role: embedded ? null : "dialog",
      "aria-modal": embedded ? null : "false"
    }, [ui.header, ui.disclaimer, ui.emergency, ui.urgentBanner, ui.status, ui.list, ui.typing, ui.form]);

    ui.launcherLabel = el("span", { className: "mc-launcher-label", text: TEXT.launcher });
    ui.launcherEmergency = el("span", { className: "mc-launcher-emergency", text: TEXT.launcherUrgent });
    ui.launcher = embedded
      ? null
      : el("button", {
          type: "button",
          className: "mc-launcher",
          "aria-controls": "mc-panel",
          "aria-expanded": "false"
        }, [el("span", { className: "mc-icon", "aria-hidden": "true", text: "💬" }), ui.launcherLabel, ui.launcherEmergency]);

    ui.root = el("div", {
      className: "mc-root " + (embedded ? "mc-embedded" : "mc-floating"),
      hidden: true // shown once the stylesheet is loaded (no flash of unstyled content)
    }, [ui.panel, ui.launcher]);

    var stylesheet = el("link", { rel: "stylesheet", href: config.cssUrl });
    function reveal() {
      ui.root.hidden = false;
      scrollToEnd();
    }
    stylesheet.addEventListener("load", reveal);
    stylesheet.addEventListener("error", reveal);
    shadow.appendChild(stylesheet);
    shadow.appendChild(ui.root);

    function setHostData(name, value) {
      if (value) host.setAttribute("data-" + name, value);
      else host.removeAttribute("data-" + name);
    }

    // --- Rendering -------------------------------------------------------------------------

    function lastUserIndex() {
      for (var i = state.messages.length - 1; i >= 0; i--) {
        if (state.messages[i].from === "user") return i;
      }
      return -1;
    }

    // `live`: a message that has just arrived. An urgent one is then an assertive alert; the
    // history shown again on reload is not announced again.
    function renderMessage(message, index, live) {
      var isBot = message.from === "bot";
      var level = isBot ? knownLevel(message.triage) : null;
      var item = el("li", {
        className: "mc-msg " + (isBot ? "mc-msg-bot" : "mc-msg-user") + (level ? " mc-msg-urgent" : ""),
        "data-from": message.from,
        "data-id": message.id,
        "data-triage": level,
        "data-pending": message.pending ? "true" : null
      });
      item.appendChild(el("span", { className: "mc-sr", text: isBot ? TEXT.bot : TEXT.you }));
      var body = item;
      if (level) {
        // The alert is named by its label, which is then not read a second time in its content.
        var labelId = "mc-urgent-" + message.id;
        body = el("div", {
          className: "mc-alert",
          role: live ? "alert" : null,
          "aria-labelledby": live ? labelId : null
        }, [
          el("span", { className: "mc-urgent-label", "aria-hidden": live ? "true" : null }, [
            el("span", { className: "mc-icon", "aria-hidden": "true", text: "⚠" }),
            " ",
            el("span", { id: labelId, text: TRIAGE[level].label })
          ])
        ]);
        item.appendChild(body);
      }
      if (message.text) body.appendChild(el("p", { className: "mc-text", text: message.text }));
      if (message.image) {
        item.appendChild(el("img", { className: "mc-image", src: message.image, alt: "" }));
      }
      if (message.pending) {
        item.appendChild(el("span", { className: "mc-pending", text: TEXT.pending }));
      }
      if (isBot && message.quickReplies && message.quickReplies.length && index > lastUserIndex()) {
        var group = el("div", { className: "mc-quick-replies", role: "group", "aria-label": TEXT.quickReplies });
        message.quickReplies.forEach(function (reply) {
          var button = el("button", { type: "button", className: "mc-button mc-qr", text: reply.title });
          button.addEventListener("click", function () {
            sendUser(reply.title, reply.payload);
            ui.input.focus();
          });
          group.appendChild(button);
        });
        item.appendChild(group);
      }
      return item;
    }

    function renderAll() {
      ui.list.textContent = "";
      state.messages.forEach(function (message, index) {
        ui.list.appendChild(renderMessage(message, index, false));
      });
      scrollToEnd();
    }

    function appendRendered(message) {
      ui.list.appendChild(renderMessage(message, state.messages.length - 1, true));
      if (message.from === "user") return scrollToEnd();
      // The bot's answer is read from its beginning: scroll to the end, but no further than the
      // top of the first bot message of this turn (a long urgent message stays readable).
      var items = ui.list.children;
      var first = null;
      for (var i = items.length - 1; i >= 0 && items[i].getAttribute("data-from") === "bot"; i--) first = items[i];
      var end = ui.list.scrollHeight - ui.list.clientHeight;
      ui.list.scrollTop = first ? Math.min(end, first.offsetTop - 8) : end;
    }

    function removeQuickReplies() {
      var groups = ui.list.querySelectorAll(".mc-quick-replies");
      for (var i = 0; i < groups.length; i++) groups[i].parentNode.removeChild(groups[i]);
    }

    function scrollToEnd() {
      ui.list.scrollTop = ui.list.scrollHeight;
    }

    function renderTriage() {
      var level = state.triage;
      ui.urgentBanner.textContent = "";
      ui.root.classList.remove("mc-triage-urgence_immediate", "mc-triage-urgence_24h");
      setHostData("triage", level);
      if (!level) {
        ui.urgentBanner.hidden = true;
        ui.urgentBanner.removeAttribute("data-triage");
        ui.urgentBanner.removeAttribute("aria-label");
        return;
      }
      ui.root.classList.add("mc-triage-" + level);
      ui.urgentBanner.setAttribute("data-triage", level);
      ui.urgentBanner.setAttribute("aria-label", TRIAGE[level].label);
      ui.urgentBanner.appendChild(el("span", { className: "mc-icon", "aria-hidden": "true", text: "⚠" }));
      ui.urgentBanner.appendChild(document.createTextNode(" "));
      richText(TRIAGE[level].banner).forEach(function (node) { ui.urgentBanner.appendChild(node); });
      ui.urgentBanner.hidden = false;
    }

    // --- Typing indicator ---------------------------------------------------------------------

    var typingTimer = null;
    function showTyping(ms) {
      ui.typing.hidden = false;
      setHostData("typing", "true");
      clearTimeout(typingTimer);
      typingTimer = setTimeout(hideTyping, ms || config.typingTimeoutMs);
    }
    function hideTyping() {
      clearTimeout(typingTimer);
      ui.typing.hidden = true;
      setHostData("typing", null);
    }

    // --- Connection -----------------------------------------------------------------------------

    var socket = null;
    var confirmed = false;      // session_confirm received on the current connection
    var cyclingOnPurpose = false;

    function setConnection(status) {
      setHostData("connection", status);
      if (status === "offline") {
        ui.statusText.textContent = TEXT.offline;
        ui.retryButton.hidden = false;
        ui.status.hidden = false;
        ui.status.setAttribute("role", "alert");
        ui.status.className = "mc-status mc-status-offline";
        hideTyping();
      } else if (status === "connecting") {
        ui.statusText.textContent = TEXT.connecting;
        ui.retryButton.hidden = true;
        ui.status.hidden = false;
        ui.status.setAttribute("role", "status");
        ui.status.className = "mc-status mc-status-connecting";
      } else {
        ui.status.hidden = true;
        ui.statusText.textContent = "";
      }
    }

    function online() {
      return !!(socket && socket.connected && confirmed && state.sessionId);
    }

    function loadSocketIo(callback) {
      if (typeof config.io === "function") return callback(config.io);
      var previous = window.io;
      var tag = document.createElement("script");
      tag.src = config.socketIoUrl;
      tag.async = true;
      tag.onload = function () {
        var io = window.io;
        if (previous !== undefined) window.io = previous; // do not replace the page's own io
        callback(io);
      };
      tag.onerror = function () {
        callback(null);
      };
      document.head.appendChild(tag);
    }

    var connectStarted = false;
    function connect() {
      if (connectStarted) return;
      connectStarted = true;
      setConnection("connecting");
      loadSocketIo(function (io) {
        if (typeof io !== "function") {
          setConnection("offline");
          host.setAttribute("data-error", "socket.io-client could not be loaded from " + config.socketIoUrl);
          ui.retryButton.onclick = function () { window.location.reload(); };
          return;
        }
        socket = io(config.rasaUrl, {
          path: config.socketPath,
          transports: config.transports,
          tryAllTransports: true,
          reconnection: true,
          reconnectionDelay: 1000,
          reconnectionDelayMax: 10000,
          timeout: 10000
        });
        socket.on("connect", function () {
          confirmed = false;
          socket.emit("session_request", { session_id: state.sessionId || null });
        });
        socket.on("session_confirm", function (data) {
          var id = typeof data === "string" ? data : data && data.session_id;
          if (!id) return;
          var isNew = !state.sessionId;
          state.sessionId = String(id);
          confirmed = true;
          persist();
          setConnection("online");
          if (isNew && config.initPayload) {
            socket.emit("user_uttered", { message: config.initPayload, session_id: state.sessionId });
            showTyping();
          }
          flushQueue();
        });
        socket.on("bot_uttered", handleBot);
        socket.on("connect_error", function () {
          confirmed = false;
          setConnection("offline");
        });
        socket.on("disconnect", function (reason) {
          confirmed = false;
          if (cyclingOnPurpose) return;
          setConnection("offline");
          // The server closed the connection itself: socket.io does not reconnect by itself then.
          if (reason === "io server disconnect") socket.connect();
        });
        socket.io.on("reconnect_attempt", function () {
          host.setAttribute("data-reconnect-attempts", String((Number(host.getAttribute("data-reconnect-attempts")) || 0) + 1));
        });
      });
    }

    // Closes the connection and opens a new one at once (Réessayer, Nouvelle conversation).
    function reconnectNow() {
      if (!socket) return connect();
      cyclingOnPurpose = true;
      confirmed = false;
      socket.disconnect();
      cyclingOnPurpose = false;
      setConnection("connecting");
      socket.connect();
    }

    function handleBot(data) {
      if (typeof data === "string") data = { text: data };
      if (!data || typeof data !== "object") return;
      var text = typeof data.text === "string" ? data.text : "";
      var buttons = Array.isArray(data.quick_replies) ? data.quick_replies : Array.isArray(data.buttons) ? data.buttons : [];
      var quickReplies = buttons
        .filter(function (b) { return b && typeof b.title === "string" && b.title.trim() && typeof b.payload === "string"; })
        .map(function (b) { return { title: b.title, payload: b.payload }; });
      var image = null;
      var attachment = data.attachment;
      if (attachment && attachment.type === "image" && attachment.payload && typeof attachment.payload.src === "string" &&
          /^https?:\/\//i.test(attachment.payload.src)) {
        image = attachment.payload.src;
      }
      // The urgent display is driven by the triage level only, never by the text.
      var level = knownLevel(data.triage);
      if (!text && !quickReplies.length && !image) return; // a custom payload this widget does not show

      var message = { id: state.nextId++, from: "bot", text: text };
      if (quickReplies.length) message.quickReplies = quickReplies;
      if (image) message.image = image;
      if (level) {
        message.triage = level;
        if (!state.triage || TRIAGE[level].rank > TRIAGE[state.triage].rank) {
          state.triage = level;
          renderTriage();
        }
      }
      state.messages.push(message);
      persist();
      appendRendered(message);
      hideTyping();
    }

    function sendUser(text, payload) {
      text = String(text || "").trim();
      if (!text) return false;
      var message = { id: state.nextId++, from: "user", text: text.slice(0, config.maxLength), pending: true };
      if (payload) message.payload = payload;
      state.messages.push(message);
      removeQuickReplies();
      persist();
      appendRendered(message);
      flushQueue();
      if (!socket) connect();
      return true;
    }

    function flushQueue() {
      if (!online()) return;
      var sent = false;
      state.messages.forEach(function (message) {
        if (message.from !== "user" || !message.pending) return;
        socket.emit("user_uttered", { message: message.payload || message.text, session_id: state.sessionId });
        message.pending = false;
        sent = true;
        var item = ui.list.querySelector('[data-id="' + message.id + '"]');
        if (item) {
          item.removeAttribute("data-pending");
          var note = item.querySelector(".mc-pending");
          if (note) note.parentNode.removeChild(note);
        }
      });
      if (sent) {
        persist();
        showTyping();
      }
    }

    function newConversation() {
      var open = state.open;
      state = freshState();
      state.open = open;
      store.clear();
      persist();
      hideTyping();
      renderAll();
      renderTriage();
      reconnectNow();
      ui.input.value = "";
      ui.input.focus();
    }

    // --- Open / close (floating mode) -------------------------------------------------------------

    function setOpen(open) {
      state.open = open;
      persist();
      if (embedded) return;
      ui.root.classList.toggle("mc-open", open);
      ui.panel.hidden = !open;
      ui.launcher.setAttribute("aria-expanded", open ? "true" : "false");
      setHostData("open", open ? "true" : null);
      if (open) {
        connect();
        scrollToEnd();
      }
    }

    // --- Events ------------------------------------------------------------------------------------

    ui.form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (sendUser(ui.input.value)) ui.input.value = "";
      ui.input.focus();
    });
    ui.input.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        if (sendUser(ui.input.value)) ui.input.value = "";
      }
    });
    ui.newButton.addEventListener("click", newConversation);
    ui.retryButton.addEventListener("click", function () {
      reconnectNow();
      ui.input.focus(); // the button hides while connecting
    });
    if (!embedded) {
      ui.launcher.addEventListener("click", function () {
        setOpen(!state.open);
        if (state.open) ui.input.focus();
      });
      ui.closeButton.addEventListener("click", function () {
        setOpen(false);
        ui.launcher.focus();
      });
      ui.panel.addEventListener("keydown", function (event) {
        if (event.key === "Escape") {
          setOpen(false);
          ui.launcher.focus();
        }
      });
    }

    // --- Start -------------------------------------------------------------------------------------

    function start() {
      var target = config.container ? document.querySelector(config.container) : null;
      if (config.container && !target) {
        if (window.console) console.error("MetastasesChat: container not found: " + config.container);
        return;
      }
      // The stored history is drawn before the widget joins the page: shown again, not announced again.
      renderAll();
      renderTriage();
      if (target) target.appendChild(host);
      else if (embedded && script && script.parentNode) script.parentNode.insertBefore(host, script);
      else document.body.appendChild(host);
      if (embedded) connect();
      else setOpen(state.open);
    }

    window.MetastasesChat.open = function () { setOpen(true); };
    window.MetastasesChat.close = function () { setOpen(false); };
    window.MetastasesChat.newConversation = newConversation;

    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
    else start();
  }

  window.MetastasesChat = {
    loaded: true,
    open: function () {},
    close: function () {},
    newConversation: function () {}
  };
  loadTexts(main);
})();
