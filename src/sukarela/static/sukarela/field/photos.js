// Photos are made small on the phone before they are stored: a 12-megapixel camera shot is 4-6 MB,
// a slow 3G line and the server's limit want a few hundred KB. Longest side 1280 px, JPEG ~0.8,
// lower quality only when still over the limit; the SHA-256 lets the server check the upload.
(function (L) {
  "use strict";
  var MAX_SIDE = 1280;
  var QUALITIES = [0.8, 0.65, 0.5];

  function PhotoError(key) { this.key = key; }

  async function decode(file) {
    if (window.createImageBitmap) {
      try { return await createImageBitmap(file, {imageOrientation: "from-image"}); } catch (error) { /* try <img> */ }
    }
    var url = URL.createObjectURL(file);
    try {
      var img = new Image();
      img.src = url;
      await img.decode();
      return img;
    } catch (error) {
      throw new PhotoError("photo_bad");
    } finally {
      URL.revokeObjectURL(url);
    }
  }

  function toBlob(canvas, quality) {
    return new Promise(function (resolve) { canvas.toBlob(resolve, "image/jpeg", quality); });
  }

  function hex(buffer) {
    return Array.from(new Uint8Array(buffer), function (b) { return b.toString(16).padStart(2, "0"); }).join("");
  }

  async function sha256(blob) {
    return hex(await crypto.subtle.digest("SHA-256", await blob.arrayBuffer()));
  }

  // A chosen file → {id, blob, size, sha256, content_type}, ready for the outbox.
  async function prepare(file, maxBytes) {
    var image = await decode(file);
    var width = image.width, height = image.height;
    if (!width || !height) throw new PhotoError("photo_bad");
    var scale = Math.min(1, MAX_SIDE / Math.max(width, height));
    var canvas = document.createElement("canvas");
    canvas.width = Math.max(1, Math.round(width * scale));
    canvas.height = Math.max(1, Math.round(height * scale));
    var ctx = canvas.getContext("2d");
    ctx.fillStyle = "#fff";  // a transparent PNG would turn black in a JPEG
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.drawImage(image, 0, 0, canvas.width, canvas.height);
    if (image.close) image.close();
    var blob = null;
    for (var i = 0; i < QUALITIES.length; i++) {
      blob = await toBlob(canvas, QUALITIES[i]);
      if (blob && blob.size <= maxBytes) break;
    }
    if (!blob) throw new PhotoError("photo_bad");
    if (blob.size > maxBytes) throw new PhotoError("photo_too_big");
    return {id: crypto.randomUUID(), blob: blob, size: blob.size, sha256: await sha256(blob), content_type: "image/jpeg"};
  }

  L.photos = {prepare: prepare, PhotoError: PhotoError};
})(window.Lapangan = window.Lapangan || {});
