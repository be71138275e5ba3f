/* The customer's portal pages (views/portal_templates.xml), without Odoo's widgets:
 * - the signature pad of the service record (/service-record/<id>): drawn with a finger or
 *   a mouse on a white canvas, sent as a PNG in the form's hidden `signature` field;
 * - the new request form: the typed product fields are hidden while an installed product
 *   is chosen. */
(function () {
    "use strict";

    function setupPad(form) {
        var canvas = form.querySelector(".o_after_sales_pad_canvas");
        var value = form.querySelector(".o_after_sales_signature_value");
        var empty = form.querySelector(".o_after_sales_pad_empty");
        var context = canvas.getContext("2d");
        var drawn = false;
        var last = null;

        function resize() {
            var ratio = window.devicePixelRatio || 1;
            canvas.width = canvas.offsetWidth * ratio;
            canvas.height = canvas.offsetHeight * ratio;
            context.setTransform(ratio, 0, 0, ratio, 0, 0);
            clear();
        }
        function clear() {
            context.fillStyle = "#fff";
            context.fillRect(0, 0, canvas.width, canvas.height);
            context.strokeStyle = "#000";
            context.lineWidth = 2;
            context.lineCap = "round";
            context.lineJoin = "round";
            drawn = false;
        }
        function point(event) {
            var box = canvas.getBoundingClientRect();
            return {x: event.clientX - box.left, y: event.clientY - box.top};
        }
        canvas.addEventListener("pointerdown", function (event) {
            event.preventDefault();
            canvas.setPointerCapture(event.pointerId);
            last = point(event);
        });
        canvas.addEventListener("pointermove", function (event) {
            if (!last) {
                return;
            }
            var next = point(event);
            context.beginPath();
            context.moveTo(last.x, last.y);
            context.lineTo(next.x, next.y);
            context.stroke();
            last = next;
            drawn = true;
        });
        ["pointerup", "pointercancel", "pointerleave"].forEach(function (name) {
            canvas.addEventListener(name, function () {
                last = null;
            });
        });
        form.querySelector(".o_after_sales_pad_clear").addEventListener("click", clear);
        form.addEventListener("submit", function (event) {
            if (!drawn) {
                event.preventDefault();
                empty.classList.remove("hidden");
                return;
            }
            value.value = canvas.toDataURL("image/png");
        });
        resize();
    }

    function setupNewRequest(form) {
        var select = form.querySelector("select[name=warranty_card_id]");
        if (!select) {
            return;
        }
        function toggle() {
            var others = form.querySelectorAll(".o_after_sales_other_product");
            for (var i = 0; i < others.length; i++) {
                others[i].style.display = select.value ? "none" : "";
            }
        }
        select.addEventListener("change", toggle);
        toggle();
    }

    document.addEventListener("DOMContentLoaded", function () {
        var pads = document.querySelectorAll(".o_after_sales_sign_form");
        for (var i = 0; i < pads.length; i++) {
            setupPad(pads[i]);
        }
        var forms = document.querySelectorAll(".o_after_sales_new_request_form");
        for (var j = 0; j < forms.length; j++) {
            setupNewRequest(forms[j]);
        }
    });
})();
