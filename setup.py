"""Packaging driven by settings.ini, the single place nbdev and pip read the project's metadata from."""
from configparser import ConfigParser
from setuptools import setup, find_packages

cfg = ConfigParser(delimiters=['='])
cfg.read('settings.ini', encoding='utf-8')
cfg = cfg['DEFAULT']
reqs = cfg.get('requirements', '').split()
dev_reqs = cfg.get('dev_requirements', '').split()
cuda_reqs = cfg.get('cuda_requirements', '').split()
scripts = [s.strip() for s in cfg.get('console_scripts', '').split() if s.strip()]

setup(
    name=cfg['lib_name'], version=cfg['version'], description=cfg['description'],
    long_description=open('README.md', encoding='utf-8').read(), long_description_content_type='text/markdown',
    author=cfg['author'], author_email=cfg['author_email'], license='MIT', url=cfg['git_url'],
    packages=find_packages(include=['pixelbytes', 'pixelbytes.*']), include_package_data=True,
    python_requires='>=' + cfg['min_python'], install_requires=reqs,
    extras_require={'dev': dev_reqs, 'cuda': cuda_reqs},
    entry_points={'console_scripts': scripts, 'nbdev': [f"{cfg['lib_path']}={cfg['lib_path']}._modidx:d"]},
    zip_safe=False,
)
