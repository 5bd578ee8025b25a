"""The Aftercheck web app: `flask --app app run`, or `gunicorn 'app:create_app()'`."""

from __future__ import annotations

from flask import Flask
from flask_cors import CORS
from werkzeug.middleware.proxy_fix import ProxyFix

from config import instance_secret_key, settings
from sources.photo.engine import warm_in_background
from web import BLUEPRINTS
from web.current import current_checker
from web.errors import register_error_handlers
from web.headers import add_security_headers
from web.limits import init_limits
from web.logs import init_logging, log_start
from web.shelf import rejudge_at_start
from web.slow_work import init_slow_work
from web.templating import register_template_helpers


def create_app(config: dict | None = None) -> Flask:
    """Build the app: settings from the environment, then `config` on top (tests)."""
    app = Flask(__name__)
    app.config.update(settings())
    app.json.sort_keys = False  # keep the report's own order: verdict first
    if config:
        app.config.update(config)
    app.config["SECRET_KEY"] = app.config["SECRET_KEY"] or instance_secret_key(app.instance_path)
    init_logging(app)
    CORS(app, resources={r"/api/*": {"origins": app.config["AFTERCHECK_CORS_ORIGINS"]}})
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
    register_template_helpers(app)
    init_slow_work(app)  # before the limits: a request over its rate limit never takes a slot
    init_limits(app)
    register_error_handlers(app)
    if app.config["AFTERCHECK_PROXY_COUNT"]:  # behind N proxies: the client's address and scheme
        count = app.config["AFTERCHECK_PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)
    app.after_request(add_security_headers)
    with app.app_context():
        checker = current_checker()  # load the data now: a broken protocol file stops start-up, not a request
    log_start(checker)
    # Verdicts stored with other data are re-judged here, so that no page has to write.
    rejudge_at_start(app, checker)
    if not app.testing:  # PP-OCR's models load beside the server; tests load them when a photo needs them
        warm_in_background()
    return app
