"""Map the repo folders lint/ and rules/ onto one import package.

PACKAGING.md: listing subpackages by hand lets a forgotten one break the wheel
while an editable install stays green, so they are discovered here instead.
"""
from setuptools import find_packages, setup

MAPPED = {"lambda_secrets_lint": "lint", "lambda_secrets_lint.rules": "rules"}

packages: list[str] = []
package_dir: dict[str, str] = {}
for name, folder in MAPPED.items():
    package_dir[name] = folder
    packages.append(name)
    for sub in find_packages(where=folder):
        packages.append(f"{name}.{sub}")
        package_dir[f"{name}.{sub}"] = f"{folder}/{sub.replace('.', '/')}"

setup(packages=packages, package_dir=package_dir)
