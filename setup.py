"""Builds Seamark's one compiled module, the nearest-point kernel (geo/nearest_kernel.pyx).

``make`` runs ``python setup.py build_ext --inplace`` once per install, as pip builds shapely's
or pyproj's own C extensions: nothing is compiled when the engine runs. Cython turns the kernel
into C, the machine's C compiler (gcc) into a module beside the source.
"""

from Cython.Build import cythonize
from setuptools import Extension, setup

setup(
    packages=["geo", "geo.draft", "dashboard"],
    ext_modules=cythonize(
        [
            Extension(
                "geo.nearest_kernel",
                ["geo/nearest_kernel.pyx"],
                extra_compile_args=["-O3"],
            )
        ],
        quiet=True,
    ),
)
