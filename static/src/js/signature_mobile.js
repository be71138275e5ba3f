odoo.define('after_sales_service.signature_mobile', function (require) {
"use strict";
/**
 * The customer signs the visit record on the technician's phone. The signature widget draws
 * on a 550px canvas, wider than a phone: on small screens its canvas is created as wide as
 * the screen allows instead (jSignature's drawing resolution follows the width it is given,
 * so the stroke stays under the finger).
 * On every screen: no "false" image for a signature not stored yet (see below).
 */
require('web_widget_digitized_signature.web_digital_sign');
var config = require('web.config');
var registry = require('web.field_registry');
var utils = require('web.utils');

var FieldSignature = registry.get('signature');
var SIDE_SPACE = 80;  // sheet and notebook paddings around the field on a phone

function fitToScreen($element, options) {
    // the element's own width when it is displayed, else the screen's less the paddings
    var available = Math.floor($element.width() || ($(window).width() - SIDE_SPACE));
    if (available > 0 && parseInt(options.width, 10) > available) {
        return _.extend({}, options, {width: String(available)});
    }
    return options;
}

function patchJSignature() {
    var original = $.fn.jSignature;
    if (!original || original.afterSalesFitted) {
        return;
    }
    var fitted = function (method, options) {
        var args = Array.prototype.slice.call(arguments);
        if (_.isObject(method)) {
            args[0] = fitToScreen(this, method);
        } else if (method === 'init' && _.isObject(options)) {
            args[1] = fitToScreen(this, options);
        }
        return original.apply(this, args);
    };
    fitted.afterSalesFitted = true;
    $.fn.jSignature = fitted;
}

function drawSignature(widget, base64) {
    var $pad = widget.$(".signature");
    $pad.jSignature("clear");
    $pad.jSignature("setData", 'data:image/png;base64,' + base64);
}

if (FieldSignature) {
    /**
     * In edit mode the widget redraws the signature read back from the server. Right after
     * the pad is drawn on and the form saves, the value is the new drawing, not yet in the
     * database: the read answers false and "data:image/png;base64,false" was loaded (an error
     * in the console). A value the record holds is drawn as it is; a stored one (its size
     * only) is read and drawn only when there is one; nothing is drawn for no signature.
     */
    FieldSignature.include({
        _render: function () {
            if (this.mode !== 'edit' || !this.value) {
                return this._super.apply(this, arguments);
            }
            var self = this;
            this.$('> img').remove();
            if (!utils.is_bin_size(this.value)) {
                drawSignature(this, this.value);
                return;
            }
            var field = this.nodeOptions.preview_image || this.name;
            return this._rpc({
                model: this.model,
                method: 'read',
                args: [[this.res_id], [field]],
            }).then(function (data) {
                var stored = data && data.length && data[0][field];
                if (stored) {
                    drawSignature(self, stored);
                }
            });
        },
    });
}

if (FieldSignature && config.device.isMobile) {
    FieldSignature.include({
        willStart: function () {
            return this._super.apply(this, arguments).then(patchJSignature);
        },
    });
}
});
