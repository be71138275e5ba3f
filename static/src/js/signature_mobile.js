odoo.define('after_sales_service.signature_mobile', function (require) {
"use strict";
/**
 * The customer signs the visit record on the technician's phone. The signature widget draws
 * on a 550px canvas, wider than a phone: on small screens its canvas is created as wide as
 * the screen allows instead (jSignature's drawing resolution follows the width it is given,
 * so the stroke stays under the finger).
 */
require('web_widget_digitized_signature.web_digital_sign');
var config = require('web.config');
var registry = require('web.field_registry');

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

if (FieldSignature && config.device.isMobile) {
    FieldSignature.include({
        willStart: function () {
            return this._super.apply(this, arguments).then(patchJSignature);
        },
    });
}
});
