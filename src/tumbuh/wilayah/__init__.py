"""Wilayah: the region tree (province > kota/kabupaten > kecamatan > kelurahan/desa > RW > RT)
with Kemendagri codes, and the health facilities placed in it (puskesmas, posyandu)."""
