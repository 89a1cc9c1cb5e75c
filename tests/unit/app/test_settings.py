"""Settings from the environment; secrets generated once into the instance folder."""
import stat

from hotline.settings import from_env


def test_defaults_generate_private_secrets_once(tmp_path):
    env = {"HOTLINE_INSTANCE_DIR": str(tmp_path)}
    first, second = from_env(env), from_env(env)
    assert first.secret_key and first.data_key and first.twilio_auth_token
    assert (first.secret_key, first.data_key) == (second.secret_key, second.data_key)
    assert stat.S_IMODE((tmp_path / "data_key").stat().st_mode) == 0o600
    assert first.database_url == f"sqlite:///{tmp_path / 'hotline.db'}"
    assert first.embedded_redis and not first.twilio_live


def test_environment_overrides(tmp_path):
    env = {"HOTLINE_INSTANCE_DIR": str(tmp_path), "HOTLINE_DATABASE_URL": "postgresql+psycopg://x@h/db",
           "HOTLINE_REDIS_URL": "redis://h:6379/1", "HOTLINE_PUBLIC_URL": "https://hotline.example/",
           "TWILIO_ACCOUNT_SID": "AC1", "TWILIO_AUTH_TOKEN": "tok", "HOTLINE_NOW": "+1h",
           "HOTLINE_LINES_FILE": "/etc/hotline/lines.yaml"}
    settings = from_env(env)
    assert settings.database_url.startswith("postgresql")
    assert settings.public_url == "https://hotline.example"
    assert settings.twilio_live and settings.twilio_auth_token == "tok"
    assert not settings.clock.is_real
    assert str(settings.directory_file) == "/etc/hotline/lines.yaml"
    assert not (tmp_path / "simulator_token").exists()


def test_timings_from_environment(tmp_path):
    import pytest

    settings = from_env({"HOTLINE_INSTANCE_DIR": str(tmp_path), "HOTLINE_WRAPUP_S": "90",
                         "HOTLINE_OFFER_TIMEOUT_S": "15"})
    assert (settings.wrapup_s, settings.offer_timeout_s, settings.continuity_wait_s) == (90, 15, 30)
    with pytest.raises(ValueError, match="HOTLINE_WRAPUP_S"):
        from_env({"HOTLINE_INSTANCE_DIR": str(tmp_path), "HOTLINE_WRAPUP_S": "soon"})


def test_the_service_level_threshold_from_the_environment(tmp_path):
    import pytest

    assert from_env({"HOTLINE_INSTANCE_DIR": str(tmp_path)}).service_level_s == 20
    assert from_env({"HOTLINE_INSTANCE_DIR": str(tmp_path), "HOTLINE_SERVICE_LEVEL_SECONDS": "30"}).service_level_s == 30
    with pytest.raises(ValueError, match="HOTLINE_SERVICE_LEVEL_SECONDS"):
        from_env({"HOTLINE_INSTANCE_DIR": str(tmp_path), "HOTLINE_SERVICE_LEVEL_SECONDS": "0"})


def test_holidays_dir_from_the_environment_or_the_repository(tmp_path, monkeypatch):
    from hotline.settings import PROJECT_DIR, holidays_dir_from, testing_settings

    shipped = PROJECT_DIR / "config" / "holidays"
    assert from_env({"HOTLINE_INSTANCE_DIR": str(tmp_path)}).holidays_dir == shipped
    assert testing_settings(tmp_path).holidays_dir == shipped
    chosen = from_env({"HOTLINE_INSTANCE_DIR": str(tmp_path), "HOTLINE_HOLIDAYS_DIR": str(tmp_path / "h")})
    assert chosen.holidays_dir == (tmp_path / "h").resolve()
    monkeypatch.chdir(tmp_path)
    assert holidays_dir_from({"HOTLINE_HOLIDAYS_DIR": "tables"}) == tmp_path.resolve() / "tables"   # made absolute
    monkeypatch.setenv("HOTLINE_HOLIDAYS_DIR", str(tmp_path / "env"))
    assert holidays_dir_from() == tmp_path / "env"


def test_record_writes_from_environment(tmp_path):
    import pytest

    base = {"HOTLINE_INSTANCE_DIR": str(tmp_path)}
    assert from_env(base).record_writes == "auto"
    assert from_env({**base, "HOTLINE_RECORD_WRITES": " web "}).record_writes == "web"
    assert from_env({**base, "HOTLINE_RECORD_WRITES": "Worker"}).record_writes == "worker"
    with pytest.raises(ValueError, match="HOTLINE_RECORD_WRITES"):
        from_env({**base, "HOTLINE_RECORD_WRITES": "redis"})


def test_the_referral_directory_file_from_the_environment(tmp_path):
    from hotline.settings import referrals_path_from_env

    assert from_env({"HOTLINE_INSTANCE_DIR": str(tmp_path)}).referrals_path.name == "referrals.yaml"
    chosen = tmp_path / "ours.yaml"
    assert from_env({"HOTLINE_INSTANCE_DIR": str(tmp_path), "HOTLINE_REFERRALS_FILE": str(chosen)}).referrals_path == chosen
    assert referrals_path_from_env({"HOTLINE_REFERRALS_FILE": str(chosen)}) == chosen
    assert referrals_path_from_env({"HOTLINE_CONFIG_DIR": str(tmp_path)}) == tmp_path / "referrals.yaml"


def test_calls_are_conferences_unless_switched_off(tmp_path):
    import pytest

    from hotline.settings import testing_settings

    base = {"HOTLINE_INSTANCE_DIR": str(tmp_path)}
    assert from_env(base).conference_calls and testing_settings(tmp_path).conference_calls
    assert from_env({**base, "HOTLINE_CONFERENCE_CALLS": "on"}).conference_calls
    assert not from_env({**base, "HOTLINE_CONFERENCE_CALLS": "off"}).conference_calls
    with pytest.raises(ValueError, match="HOTLINE_CONFERENCE_CALLS"):
        from_env({**base, "HOTLINE_CONFERENCE_CALLS": "sometimes"})
