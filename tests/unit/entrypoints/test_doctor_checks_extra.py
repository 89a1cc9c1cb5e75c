"""The test suite's cheap password hashing must never pass in a deployment."""
from hotline.cli.doctor.report import FAIL, OK
from hotline.cli.doctor.settings_checks import check_password_hashing


def test_test_argon2_profile_fails_the_doctor():
    assert check_password_hashing({"HOTLINE_ARGON2_PROFILE": "test"}).status == FAIL
    assert check_password_hashing({}).status == OK
