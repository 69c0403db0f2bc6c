# PixelBytes on a CUDA GPU: `docker build -t pixelbytes .` then
# `docker run --gpus all -v $PWD/data:/work/data pixelbytes train --model mamba --data /work/data/pokemon`.
# The devel image carries nvcc, which mamba-ssm and causal-conv1d need to build their kernels.
FROM pytorch/pytorch:2.5.1-cuda12.4-cudnn9-devel
WORKDIR /opt/pixelbytes
COPY settings.ini setup.py pyproject.toml README.md ./
COPY pixelbytes ./pixelbytes
RUN pip install --no-cache-dir -e ".[cuda]"
WORKDIR /work
ENTRYPOINT ["pixelbytes"]
CMD ["--help"]
