"""Running verify on a cluster: `verify.cluster.dask` (the optional `dask` extra)."""
