"""tinytf.keras"""
