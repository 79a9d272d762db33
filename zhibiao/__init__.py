"""zhibiao (指标): figures, metadata, sections and key tasks from Chinese government work reports."""

__version__ = "0.1.0"
