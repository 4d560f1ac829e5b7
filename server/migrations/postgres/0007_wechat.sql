-- Chelink 0007 (PostgreSQL): a dealer's WeChat official account, for the JS-SDK share cards:
-- its AppID and AppSecret (the secret is write-only: no API ever returns it), the domain the
-- JS-SDK is signed for (JS接口安全域名, a bare host name) and the MP_verify_*.txt file WeChat's
-- admin console hands out, served at the domain's root. Times are Unix milliseconds.
-- Keep in step with ../sqlite/0007_wechat.sql.

CREATE TABLE wechat_settings (
    dealer_id      BIGINT PRIMARY KEY,
    app_id         TEXT    NOT NULL,
    app_secret     TEXT    NOT NULL,
    domain         TEXT    NOT NULL,
    verify_name    TEXT,              -- MP_verify_<random>.txt; none: not uploaded
    verify_content TEXT,
    updated_at     BIGINT  NOT NULL,
    CONSTRAINT wechat_settings_dealer_fk FOREIGN KEY (dealer_id) REFERENCES dealers (id) ON DELETE CASCADE,
    CONSTRAINT wechat_settings_verify_check CHECK ((verify_name IS NULL) = (verify_content IS NULL))
);
-- The verification file is looked up by its name when WeChat fetches it.
CREATE INDEX wechat_settings_verify ON wechat_settings (verify_name);
